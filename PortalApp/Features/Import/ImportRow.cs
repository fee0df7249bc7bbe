namespace PortalApp.Features.Import;

/// <summary>One row's values by field, through the mapping staff chose.</summary>
internal readonly struct ImportRow(CsvRow row, IReadOnlyDictionary<string, int> mapping)
{
    public bool Has(ImportField field) => mapping.ContainsKey(field.Name);

    /// <summary>The value, trimmed; null when the field is not mapped or the cell is empty.</summary>
    public string? Text(ImportField field) =>
        mapping.TryGetValue(field.Name, out var column) && row[column] is { Length: > 0 } value ? value : null;

    /// <summary>An optional text with a length limit (the column's in the database).</summary>
    public string? Optional(ImportField field, int maxLength, out string? problem)
    {
        var value = Text(field);
        problem = value is { Length: var length } && length > maxLength ? $"The {field.Name.ToLowerInvariant()} can be at most {maxLength} characters." : null;
        return problem is null ? value : null;
    }
}
