using System.Globalization;

namespace PortalApp.Features.IntakeForms;

/// <param name="Kept">The answers to store: only shown items the poster may fill in, values normalised.</param>
/// <param name="Problems">By link id, in words for the patient; empty when the answers may be saved (or submitted).</param>
public sealed record AnswerCheck(FormAnswers Kept, IReadOnlyDictionary<string, string> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>Who is posting: a patient (or caregiver) never writes staff-only answers; staff may.</summary>
public enum AnswerPoster
{
    Patient,
    Staff,
}

/// <summary>
/// Checks posted answers against a version's definition. Answers to hidden, staff-only (for patients), unknown, display
/// and group items are dropped, never stored; a required question counts only while it is shown. A draft save
/// (<c>complete: false</c>) checks what was typed but not what is missing.
/// </summary>
public static class AnswerValidator
{
    public const int MaxSignatureLength = 200;

    public static AnswerCheck Check(FormDefinition definition, FormAnswers posted, AnswerPoster poster, bool complete, DateTime nowUtc)
    {
        var shown = EnableWhenEvaluator.Shown(definition, posted);
        var kept = new Dictionary<string, FormAnswer>(StringComparer.Ordinal);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var staffOnly = FormItems.StaffOnly(definition.Items ?? []);
        foreach (var (item, _) in FormItems.InOrder(definition.Items ?? []))
        {
            if (!FormItems.TakesAnswer(item.Type) || !shown.Contains(item.LinkId) || (staffOnly.Contains(item.LinkId) && poster == AnswerPoster.Patient))
                continue;
            var answer = posted[item.LinkId];
            if (answer is null || answer.IsEmpty)
            {
                if (complete && item.Required)
                    problems[item.LinkId] = Missing(item);
                continue;
            }
            var (value, problem) = CheckOne(item, answer, nowUtc);
            if (problem is not null)
                problems[item.LinkId] = problem;
            else if (value is not null)
                kept[item.LinkId] = value;
            else if (complete && item.Required)
                problems[item.LinkId] = Missing(item);
        }
        return new AnswerCheck(new FormAnswers(kept), problems);
    }

    private static string Missing(FormItem item) => item.Type switch
    {
        FormItemType.Consent => "Tick \"I agree\" and type your full name to sign.",
        FormItemType.Attachment => "Attach a file to answer this question.",
        FormItemType.Choice or FormItemType.OpenChoice or FormItemType.Boolean => "Choose an answer to this question.",
        _ => "Answer this question.",
    };

    /// <returns>The answer to keep (null when nothing usable was posted), or the problem with it.</returns>
    private static (FormAnswer? Value, string? Problem) CheckOne(FormItem item, FormAnswer answer, DateTime nowUtc)
    {
        var values = (answer.Values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        if (values.Count > FormLimits.MaxAnswersPerItem)
            return (null, $"Choose at most {FormLimits.MaxAnswersPerItem} answers.");
        if (values.Any(v => v.Length > FormLimits.MaxAnswerLength) || answer.OtherText?.Length > FormLimits.MaxAnswerLength)
            return (null, $"Keep your answer to {FormLimits.MaxAnswerLength:N0} characters or fewer.");
        var single = item.Type is not (FormItemType.Choice or FormItemType.OpenChoice) || !item.Repeats;
        if (single && values.Count > 1)
            return (null, item.Type is FormItemType.Choice or FormItemType.OpenChoice ? "Choose only one answer." : "Give one answer only.");
        if (values.Count == 0 && item.Type is not (FormItemType.OpenChoice or FormItemType.Consent or FormItemType.Attachment))
            return (null, null); // e.g. only "other" text posted to a question that has no "other"
        var value = values.FirstOrDefault()?.Trim();
        FormAnswer Keep(params string[] v) => new(v);
        switch (item.Type)
        {
            case FormItemType.String or FormItemType.Text:
            {
                var text = item.Type == FormItemType.String ? value!.Trim() : values[0].TrimEnd();
                var max = Math.Min(item.MaxLength ?? FormLimits.MaxAnswerLength, FormLimits.MaxAnswerLength);
                if (item.Type == FormItemType.String && text.Contains('\n'))
                    return (null, "Keep this answer to one line.");
                return text.Length > max
                    ? (null, $"Keep this answer to {max:N0} characters or fewer (it has {text.Length:N0}).")
                    : (Keep(text), null);
            }
            case FormItemType.Integer:
                return long.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var whole)
                    && whole is >= int.MinValue and <= int.MaxValue
                    ? (Keep(whole.ToString(CultureInfo.InvariantCulture)), null)
                    : (null, "Enter a whole number, like 42.");
            case FormItemType.Decimal:
                return decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                    ? (Keep(number.ToString(CultureInfo.InvariantCulture)), null)
                    : (null, "Enter a number, like 12.5 (use a point for decimals).");
            case FormItemType.Date:
                return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (Keep(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
                    : (null, "Enter a date, like 2026-03-07.");
            case FormItemType.Boolean:
                return value is "true" or "false" ? (Keep(value), null) : (null, "Choose yes or no.");
            case FormItemType.Choice:
            {
                var codes = (item.Options ?? []).Select(o => o.Code).ToHashSet(StringComparer.Ordinal);
                return values.All(codes.Contains)
                    ? (new FormAnswer(values.Distinct().ToList()), null)
                    : (null, "Choose one of the answers listed.");
            }
            case FormItemType.OpenChoice:
            {
                var codes = (item.Options ?? []).Select(o => o.Code).ToHashSet(StringComparer.Ordinal);
                var other = string.IsNullOrWhiteSpace(answer.OtherText) ? null : answer.OtherText.Trim();
                if (!values.All(codes.Contains))
                    return (null, "Choose one of the answers listed, or write your own under \"Other\".");
                if (single && values.Count + (other is null ? 0 : 1) > 1)
                    return (null, "Choose one of the answers, or write your own, not both.");
                if (other is not null && other.Contains('\n'))
                    return (null, "Keep your own answer to one line.");
                return (new FormAnswer(values.Distinct().ToList(), other), null);
            }
            case FormItemType.Consent:
            {
                var name = answer.Consent?.FullName?.Trim() ?? "";
                if (answer.Consent is not { Agreed: true } || name.Length == 0)
                    return (null, "Tick \"I agree\" and type your full name to sign.");
                if (name.Length > MaxSignatureLength)
                    return (null, $"Type your full name in {MaxSignatureLength} characters or fewer.");
                // The time is the server's, never the page's.
                return (new FormAnswer([], Consent: new ConsentSignature(true, name, nowUtc)), null);
            }
            case FormItemType.Attachment:
                // Whether the attachment exists and belongs to this form is the caller's check: it holds the database.
                return answer.AttachmentId is { } id ? (new FormAnswer([], AttachmentId: id), null) : (null, null);
            default:
                return (null, null);
        }
    }
}
