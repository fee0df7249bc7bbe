using System.Globalization;
using PortalApp.Components.Shared;

namespace PortalApp.Features.IntakeForms;

/// <summary>What a row of a read-back shows: a section heading, a piece of display text, or a question and its answer.</summary>
public enum AnswerRowKind
{
    Section,
    Group,
    Display,
    Question,
}

/// <summary>
/// One line of a response as staff read it back, in the form's order.
/// <see cref="Answer"/> is null when the question was not answered or was hidden by a rule.
/// </summary>
public sealed record AnswerRow(string LinkId, AnswerRowKind Kind, int Depth, string Label, string? Answer, bool StaffOnly, bool Hidden);

/// <summary>
/// The one home of how an answer reads as text: the print view, the PDF and the compare view all use it, so a choice
/// shows its wording (not its code), a date reads "7 Mar 2026" and a consent shows who signed and when.
/// </summary>
public static class FormAnswerDisplay
{
    /// <param name="attachmentName">Names an attached file by its id; null when the file is unknown.</param>
    public static IReadOnlyList<AnswerRow> Rows(FormDefinition definition, FormAnswers answers, TimeZoneInfo zone,
        Func<int, string?>? attachmentName = null)
    {
        var shown = EnableWhenEvaluator.Shown(definition, answers);
        var rows = new List<AnswerRow>();
        foreach (var (item, depth) in FormItems.InOrder(definition.Items ?? []))
        {
            var kind = item.Type switch
            {
                FormItemType.Group => depth == 1 ? AnswerRowKind.Section : AnswerRowKind.Group,
                FormItemType.Display => AnswerRowKind.Display,
                _ => AnswerRowKind.Question,
            };
            var hidden = !shown.Contains(item.LinkId);
            var answer = kind == AnswerRowKind.Question && !hidden ? Text(item, answers[item.LinkId], zone, attachmentName) : null;
            rows.Add(new AnswerRow(item.LinkId, kind, depth, item.Text, answer, item.StaffOnly, hidden));
        }
        return rows;
    }

    /// <summary>One answer as text, or null when there is none.</summary>
    public static string? Text(FormItem item, FormAnswer? answer, TimeZoneInfo zone, Func<int, string?>? attachmentName = null)
    {
        if (answer is null || answer.IsEmpty)
            return null;
        return item.Type switch
        {
            FormItemType.Boolean => Joined(answer.Values.Select(v => v == "true" ? "Yes" : v == "false" ? "No" : v)),
            FormItemType.Date => Joined(answer.Values.Select(FormatDate)),
            FormItemType.Choice or FormItemType.OpenChoice => Choices(item, answer),
            FormItemType.Consent => Consent(answer.Consent, zone),
            FormItemType.Attachment => answer.AttachmentId is { } id ? $"Attached: {attachmentName?.Invoke(id) ?? $"file {id}"}" : null,
            _ => Joined(answer.Values),
        };
    }

    private static string? Choices(FormItem item, FormAnswer answer)
    {
        var picked = answer.Values.Where(v => !string.IsNullOrWhiteSpace(v))
            .Select(code => (item.Options ?? []).FirstOrDefault(o => o.Code == code)?.Display ?? code).ToList();
        if (!string.IsNullOrWhiteSpace(answer.OtherText))
            picked.Add($"Other: {answer.OtherText.Trim()}");
        return Joined(picked);
    }

    private static string? Consent(ConsentSignature? consent, TimeZoneInfo zone) => consent switch
    {
        null => null,
        { Agreed: true } => $"Agreed. Signed \"{consent.FullName}\" on {Dates.FormatClinicTime(consent.SignedAtUtc, zone)}",
        _ => "Did not agree",
    };

    private static string FormatDate(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? Dates.Format(date) : value;

    private static string? Joined(IEnumerable<string> values)
    {
        var text = string.Join("; ", values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()));
        return text.Length == 0 ? null : text;
    }
}
