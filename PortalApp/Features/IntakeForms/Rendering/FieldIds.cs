using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortalApp.Features.IntakeForms.Rendering;

/// <summary>The names and ids one question's inputs, help and error use, so labels and aria-describedby always agree.</summary>
public sealed record FieldIds(string Name, string Input, string Help, string Error, string Note)
{
    public static FieldIds For(string linkId) => new($"a.{linkId}", $"f-{linkId}", $"f-{linkId}-help", $"f-{linkId}-error", $"f-{linkId}-note");

    /// <summary>The help, note and error ids that exist for this question, for aria-describedby; null when there are none.</summary>
    public string? DescribedBy(FormItem item, string? error, string? note = null)
    {
        var ids = string.Join(' ', new[] { item.Help is null ? null : Help, note is null ? null : Note, error is null ? null : Error }.OfType<string>());
        return ids.Length == 0 ? null : ids;
    }

    public static string? First(IReadOnlyDictionary<string, IReadOnlyList<string>>? values, string key) =>
        values?.GetValueOrDefault(key) is [var first, ..] ? first : null;

    public static bool Has(IReadOnlyDictionary<string, IReadOnlyList<string>>? values, string key, string value) =>
        values?.GetValueOrDefault(key)?.Contains(value, StringComparer.Ordinal) == true;

    private static readonly JsonSerializerOptions RuleJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The item's show/hide rules for the page's script (data-enable-when); null when it has none.</summary>
    public static string? RulesJson(FormItem item) =>
        item.EnableWhen.Count == 0 ? null : JsonSerializer.Serialize(item.EnableWhen, RuleJson);
}
