using Microsoft.Extensions.Primitives;

namespace PortalApp.Features.IntakeForms.Rendering;

/// <summary>
/// Between the fields IntakeFormFields renders (names "a.{linkId}", "a.{linkId}.other", ".agree", ".name") and
/// FormAnswers: what a post says, and what a page shows again. Only the items given are read, so a post can never
/// answer a question of another section, and everything is bounded by FormLimits before the validator sees it.
/// </summary>
public static class FieldValues
{
    public const string Prefix = "a.";

    /// <summary>The posted values of the given items, keyed as IntakeFormFields reads them (to show what was typed again).</summary>
    public static Dictionary<string, IReadOnlyList<string>> FromPost(IEnumerable<KeyValuePair<string, StringValues>> form, IEnumerable<FormItem> items)
    {
        var posted = form.Where(f => f.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Key[Prefix.Length..], f => f.Value, StringComparer.Ordinal);
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (item, _) in FormItems.InOrder(items))
        {
            foreach (var key in Keys(item))
            {
                if (posted.TryGetValue(key, out var raw))
                    values[key] = raw.Take(FormLimits.MaxAnswersPerItem + 1).Select(v => v ?? "").ToList();
            }
        }
        return values;
    }

    /// <summary>The answers these values give to the given items; an item with nothing posted gets an empty answer.</summary>
    public static Dictionary<string, FormAnswer> ToAnswers(IReadOnlyDictionary<string, IReadOnlyList<string>> values, IEnumerable<FormItem> items, DateTime nowUtc)
    {
        var answers = new Dictionary<string, FormAnswer>(StringComparer.Ordinal);
        foreach (var (item, _) in FormItems.InOrder(items))
        {
            if (!FormItems.TakesAnswer(item.Type) || item.Type == FormItemType.Attachment)
                continue;
            string? First(string key) => values.GetValueOrDefault(key) is [var first, ..] ? first : null;
            answers[item.LinkId] = item.Type switch
            {
                FormItemType.Consent => First($"{item.LinkId}.agree") is null && string.IsNullOrWhiteSpace(First($"{item.LinkId}.name"))
                    ? new FormAnswer([])
                    : new FormAnswer([], Consent: new ConsentSignature(First($"{item.LinkId}.agree") == "true", First($"{item.LinkId}.name") ?? "", nowUtc)),
                _ => new FormAnswer(values.GetValueOrDefault(item.LinkId) ?? [], First($"{item.LinkId}.other")),
            };
        }
        return answers;
    }

    /// <summary>Stored answers as the fields show them.</summary>
    public static Dictionary<string, IReadOnlyList<string>> FromAnswers(FormAnswers answers)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (linkId, answer) in answers.ByLinkId)
        {
            if (answer.Values.Count > 0)
                values[linkId] = answer.Values;
            if (answer.OtherText is { } other)
                values[$"{linkId}.other"] = [other];
            if (answer.Consent is { } consent)
            {
                if (consent.Agreed)
                    values[$"{linkId}.agree"] = ["true"];
                values[$"{linkId}.name"] = [consent.FullName];
            }
        }
        return values;
    }

    private static IEnumerable<string> Keys(FormItem item) => item.Type switch
    {
        FormItemType.OpenChoice => [item.LinkId, $"{item.LinkId}.other"],
        FormItemType.Consent => [$"{item.LinkId}.agree", $"{item.LinkId}.name"],
        _ => [item.LinkId],
    };
}
