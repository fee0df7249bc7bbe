using System.Globalization;
using System.Text.RegularExpressions;
using PortalApp.Infrastructure;

namespace PortalApp.Features.IntakeForms;

/// <param name="LinkId">The item the problem is on; null for the form as a whole.</param>
/// <param name="Message">Names the item by its label and says what to change.</param>
public sealed record FormProblem(string? LinkId, string Message);

/// <summary>
/// What a definition must be before it is saved (<see cref="CheckLimits"/>: its size, whatever state the draft is in) and
/// before it is published or imported (<see cref="Check"/>: every rule). Returns every problem at once, not the first.
/// </summary>
public static partial class FormDefinitionRules
{
    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.None, matchTimeoutMilliseconds: RegexTimeout.Milliseconds)]
    private static partial Regex LinkIdCharacters();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.None, matchTimeoutMilliseconds: RegexTimeout.Milliseconds)]
    private static partial Regex IsoDate();

    /// <summary>Size bounds only: what a draft, however unfinished, may weigh.</summary>
    public static IReadOnlyList<FormProblem> CheckLimits(FormDefinition definition)
    {
        var problems = new List<FormProblem>();
        if (definition.Title?.Length > FormLimits.MaxTitleLength)
            problems.Add(new(null, $"The form's title is {definition.Title.Length} characters; keep it to {FormLimits.MaxTitleLength}."));
        if (definition.Description?.Length > FormLimits.MaxQuestionTextLength)
            problems.Add(new(null, $"The form's description is {definition.Description.Length:N0} characters; keep it to {FormLimits.MaxQuestionTextLength:N0}."));
        var all = FormItems.InOrder(definition.Items ?? []).ToList();
        if (all.Count > FormLimits.MaxItems)
            problems.Add(new(null, $"This form has {all.Count} items; a form may have at most {FormLimits.MaxItems}. Split it into two forms."));
        foreach (var (item, depth) in all.Take(FormLimits.MaxItems + 1))
        {
            var label = FormItems.Label(item);
            if (depth > FormLimits.MaxDepth)
                problems.Add(new(item.LinkId, $"'{label}' is nested {depth} levels deep; groups may go {FormLimits.MaxDepth} levels deep at most."));
            if (item.LinkId?.Length > FormLimits.MaxLinkIdLength)
                problems.Add(new(null, $"'{label}' has a link id of {item.LinkId.Length} characters; the most is {FormLimits.MaxLinkIdLength}."));
            if (item.Text?.Length > FormLimits.MaxQuestionTextLength)
                problems.Add(new(item.LinkId, $"'{label}' has {item.Text.Length:N0} characters of text; keep it to {FormLimits.MaxQuestionTextLength:N0}."));
            if (item.Help?.Length > FormLimits.MaxQuestionTextLength)
                problems.Add(new(item.LinkId, $"The help text of '{label}' is {item.Help.Length:N0} characters; keep it to {FormLimits.MaxQuestionTextLength:N0}."));
            if (item.ConsentText?.Length > FormLimits.MaxConsentTextLength)
                problems.Add(new(item.LinkId, $"The consent text of '{label}' is {item.ConsentText.Length:N0} characters; keep it to {FormLimits.MaxConsentTextLength:N0}."));
            if (item.Options?.Count > FormLimits.MaxOptions)
                problems.Add(new(item.LinkId, $"'{label}' has {item.Options.Count} options; the most is {FormLimits.MaxOptions}."));
            if (item.Options?.Any(o => o.Code?.Length > FormLimits.MaxLinkIdLength || o.Display?.Length > FormLimits.MaxQuestionTextLength) == true)
                problems.Add(new(item.LinkId, $"An option of '{label}' is too long: codes up to {FormLimits.MaxLinkIdLength} characters, labels up to {FormLimits.MaxQuestionTextLength:N0}."));
            if (item.EnableWhen?.Count > FormLimits.MaxRulesPerItem)
                problems.Add(new(item.LinkId, $"'{label}' has {item.EnableWhen.Count} show/hide rules; the most is {FormLimits.MaxRulesPerItem}."));
        }
        return problems;
    }

    /// <summary>Every rule a publishable form keeps.</summary>
    public static IReadOnlyList<FormProblem> Check(FormDefinition definition)
    {
        var problems = CheckLimits(definition).ToList();
        if (problems.Count > 0)
            return problems; // a form over its bounds is not walked further
        if (string.IsNullOrWhiteSpace(definition.Title))
            problems.Add(new(null, "Give the form a title."));
        var items = FormItems.InOrder(definition.Items ?? []).Select(x => x.Item).ToList();
        if (items.Count == 0)
            problems.Add(new(null, "Add at least one question."));
        var earlier = new Dictionary<string, FormItem>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var label = FormItems.Label(item);
            CheckItem(item, label, problems);
            foreach (var rule in item.EnableWhen ?? [])
                CheckRule(item, label, rule, earlier, problems);
            if (!string.IsNullOrEmpty(item.LinkId) && !earlier.TryAdd(item.LinkId, item))
                problems.Add(new(item.LinkId, $"'{label}' has the link id '{item.LinkId}', which another item already has. Each link id must be unique."));
        }
        return problems;
    }

    private static void CheckItem(FormItem item, string label, List<FormProblem> problems)
    {
        void Add(string message) => problems.Add(new(item.LinkId, message));
        if (string.IsNullOrWhiteSpace(item.LinkId))
            Add($"'{label}' needs a link id.");
        else if (!LinkIdCharacters().IsMatch(item.LinkId))
            Add($"'{label}' has the link id '{item.LinkId}': use only letters, digits, '.', '_' and '-'.");
        if (string.IsNullOrWhiteSpace(item.Text))
            Add($"The item '{item.LinkId}' needs its text.");
        if (!Enum.IsDefined(item.Type))
            Add($"'{label}' has no known question type.");
        if (item.Type != FormItemType.Group && item.Items?.Count > 0)
            Add($"'{label}' holds other items, but only a group or section can.");
        if (item.Type == FormItemType.Group && (item.Items?.Count ?? 0) == 0)
            Add($"The section or group '{label}' is empty: add a question to it or remove it.");
        if (item.Type == FormItemType.Display && item.Required)
            Add($"'{label}' is display text, which cannot be required.");
        if (item.Repeats && item.Type is not (FormItemType.Choice or FormItemType.OpenChoice))
            Add($"'{label}': only choice questions can take several answers.");
        var isChoice = item.Type is FormItemType.Choice or FormItemType.OpenChoice;
        var options = item.Options ?? [];
        if (isChoice && options.Count == 0)
            Add($"'{label}' is a choice question: give it at least one option.");
        if (!isChoice && options.Count > 0)
            Add($"'{label}' has options, but only choice questions use them.");
        if (options.Any(o => string.IsNullOrWhiteSpace(o.Code) || !LinkIdCharacters().IsMatch(o.Code)))
            Add($"Every option of '{label}' needs a code of letters, digits, '.', '_' or '-'.");
        if (options.Any(o => string.IsNullOrWhiteSpace(o.Display)))
            Add($"Every option of '{label}' needs the text the patient reads.");
        if (options.GroupBy(o => o.Code, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            Add($"Two options of '{label}' have the code '{twice.Key}'; codes must differ.");
        if (item.Type == FormItemType.Consent && string.IsNullOrWhiteSpace(item.ConsentText))
            Add($"The consent '{label}' needs the text the person agrees to.");
        if (item.MaxLength is { } max && (item.Type is not (FormItemType.String or FormItemType.Text) || max < 1 || max > FormLimits.MaxAnswerLength))
            Add($"'{label}': a maximum length applies to text answers only, from 1 to {FormLimits.MaxAnswerLength:N0} characters.");
    }

    private static void CheckRule(FormItem item, string label, EnableWhen rule, Dictionary<string, FormItem> earlier, List<FormProblem> problems)
    {
        void Add(string message) => problems.Add(new(item.LinkId, message));
        if (rule.Question is null || !earlier.TryGetValue(rule.Question, out var question))
        {
            Add($"'{label}' is shown depending on '{rule.Question}', which is not a question before it. A rule can only look at an earlier question.");
            return;
        }
        var about = FormItems.Label(question);
        if (!FormItems.TakesAnswer(question.Type))
        {
            Add($"'{label}' is shown depending on '{about}', which takes no answer.");
            return;
        }
        if (question.StaffOnly && !item.StaffOnly)
            Add($"'{label}' is shown depending on '{about}', which only staff fill in: the patient could never see it.");
        if (!Enum.IsDefined(rule.Operator))
        {
            Add($"A rule of '{label}' has no known comparison.");
            return;
        }
        if (rule.Operator == EnableOperator.Exists)
        {
            if (rule.Answer is not (null or "true" or "false"))
                Add($"A rule of '{label}' asks whether '{about}' is answered: its value must be true or false.");
            return;
        }
        var ordered = rule.Operator is not (EnableOperator.Equals or EnableOperator.NotEquals);
        if (ordered && question.Type is not (FormItemType.Integer or FormItemType.Decimal or FormItemType.Date))
        {
            Add($"A rule of '{label}' compares '{about}' as greater or less, which works only for numbers and dates.");
            return;
        }
        if (question.Type is FormItemType.Attachment)
        {
            Add($"A rule of '{label}' compares the attachment '{about}': only 'is answered' works for attachments.");
            return;
        }
        if (!AnswerFits(question, rule.Answer))
            Add($"A rule of '{label}' compares '{about}' with '{rule.Answer}', which {Expected(question)}.");
    }

    private static bool AnswerFits(FormItem question, string? answer) => answer is not null && question.Type switch
    {
        FormItemType.Integer => long.TryParse(answer, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        FormItemType.Decimal => decimal.TryParse(answer, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _),
        FormItemType.Date => IsoDate().IsMatch(answer) && DateOnly.TryParseExact(answer, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        FormItemType.Boolean or FormItemType.Consent => answer is "true" or "false",
        FormItemType.Choice => (question.Options ?? []).Any(o => o.Code == answer),
        FormItemType.OpenChoice => answer.Length > 0,
        _ => answer.Length > 0,
    };

    private static string Expected(FormItem question) => question.Type switch
    {
        FormItemType.Integer => "is not a whole number",
        FormItemType.Decimal => "is not a number like 12.5",
        FormItemType.Date => "is not a date written 2026-03-07",
        FormItemType.Boolean or FormItemType.Consent => "is not true or false",
        FormItemType.Choice => "is not the code of one of its options",
        _ => "is empty",
    };

    /// <summary>Parses a value already known to fit its type (stored answers, checked rules) for comparing.</summary>
    internal static IComparable? Comparable(FormItemType type, string value) => type switch
    {
        FormItemType.Integer when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => (decimal)l,
        FormItemType.Decimal when decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) => d,
        FormItemType.Date when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => date,
        _ => null,
    };
}
