using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace PortalApp.Infrastructure.MigrateToPostgres;

/// <summary>One column as the copy reads, writes and checksums it: the model's type, not whatever SQLite happened to store.</summary>
public sealed record CopyColumn(string Name, ColumnKind Kind);

/// <summary>One table of the model: its columns and its primary key (the order rows are read and checksummed in).</summary>
public sealed record CopyTable(string Name, IReadOnlyList<CopyColumn> Columns, IReadOnlyList<CopyColumn> Key)
{
    public string ColumnList => string.Join(", ", Columns.Select(c => Quote(c.Name)));

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>Every table of the model, parents before children, read from the model itself so a new table is never left behind.</summary>
public static class CopyPlan
{
    public static IReadOnlyList<CopyTable> For(IModel model)
    {
        var tables = model.GetRelationalModel().Tables.Where(t => t.Schema is null or "public").OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var ordered = new List<CopyTable>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        while (done.Count < tables.Count)
        {
            // Kahn's algorithm, by name within each round so the order (and the printed report) is always the same. A
            // table that refers to itself (a merged card) needs no order: see TableCopy.CopyAsync.
            var ready = tables.Where(t => !done.Contains(t.Name)
                && t.ForeignKeyConstraints.All(fk => fk.PrincipalTable == t || done.Contains(fk.PrincipalTable.Name))).ToList();
            if (ready.Count == 0)
                throw new InvalidOperationException("The model's tables refer to each other in a circle: " + string.Join(", ", tables.Where(t => !done.Contains(t.Name)).Select(t => t.Name)) + ". The copy needs an order in which every parent comes first.");
            foreach (var table in ready)
            {
                ordered.Add(Plan(table));
                done.Add(table.Name);
            }
        }
        return ordered;
    }

    private static CopyTable Plan(ITable table)
    {
        var columns = table.Columns.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new CopyColumn(c.Name, KindOf(c))).ToList();
        CopyColumn Find(IColumn column) => columns.Single(c => c.Name == column.Name);
        var key = table.PrimaryKey?.Columns.Select(Find).ToList()
            ?? throw new InvalidOperationException($"The table {table.Name} has no primary key, so its rows cannot be compared in order.");
        return new CopyTable(table.Name, columns, key);
    }

    private static ColumnKind KindOf(IColumn column)
    {
        if (column.StoreType == "jsonb")
            return ColumnKind.Json;
        var type = Nullable.GetUnderlyingType(column.ProviderClrType) ?? column.ProviderClrType;
        return type switch
        {
            _ when type == typeof(int) => ColumnKind.Int32,
            _ when type == typeof(long) => ColumnKind.Int64,
            _ when type == typeof(bool) => ColumnKind.Boolean,
            _ when type == typeof(string) => ColumnKind.Text,
            _ when type == typeof(byte[]) => ColumnKind.Bytes,
            _ when type == typeof(DateOnly) => ColumnKind.Date,
            _ when type == typeof(DateTime) => ColumnKind.Timestamp,
            _ when type == typeof(DateTimeOffset) => ColumnKind.TimestampWithOffset,
            _ when type == typeof(decimal) => ColumnKind.Decimal,
            _ => throw new NotSupportedException($"{column.Table.Name}.{column.Name} is a {type.Name}, which the copy to PostgreSQL does not handle yet: add it to ColumnKind."),
        };
    }
}
