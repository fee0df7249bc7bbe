namespace PortalApp.Features.IntakeForms;

/// <summary>
/// Which items a patient sees for given answers (FHIR enableWhen). The server's word at every post, whatever the page's
/// script showed: a hidden group hides everything inside it, and a rule that looks at a hidden question counts that
/// question as unanswered, so hiding cascades down a chain of rules. An unanswered question makes every comparison
/// false (only "is not answered" holds), so "show when the answer is not No" stays hidden until there is an answer.
/// </summary>
public static class EnableWhenEvaluator
{
    /// <summary>The link ids of every item shown. Rules look only at earlier questions (FormDefinitionRules), so one pass in order decides.</summary>
    public static IReadOnlySet<string> Shown(FormDefinition definition, FormAnswers answers)
    {
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var types = new Dictionary<string, FormItem>(StringComparer.Ordinal);
        Walk(definition.Items ?? [], parentShown: true, answers, shown, types);
        return shown;
    }

    private static void Walk(IEnumerable<FormItem> items, bool parentShown, FormAnswers answers, HashSet<string> shown, Dictionary<string, FormItem> seen)
    {
        foreach (var item in items)
        {
            var isShown = parentShown && IsEnabled(item, answers, shown, seen);
            if (isShown)
                shown.Add(item.LinkId);
            seen.TryAdd(item.LinkId, item);
            Walk(item.Items ?? [], isShown, answers, shown, seen);
        }
    }

    private static bool IsEnabled(FormItem item, FormAnswers answers, HashSet<string> shown, Dictionary<string, FormItem> seen)
    {
        var rules = item.EnableWhen ?? [];
        if (rules.Count == 0)
            return true;
        bool Holds(EnableWhen rule)
        {
            // A question not shown (or not earlier: a definition that skipped the rules) counts as unanswered.
            var answer = seen.TryGetValue(rule.Question, out var question) && shown.Contains(rule.Question) ? answers[rule.Question] : null;
            return question is not null ? Test(question, rule, answer) : rule is { Operator: EnableOperator.Exists, Answer: "false" };
        }
        return item.EnableBehavior == EnableBehavior.Any ? rules.Any(Holds) : rules.All(Holds);
    }

    internal static bool Test(FormItem question, EnableWhen rule, FormAnswer? answer)
    {
        var values = Values(question, answer);
        if (rule.Operator == EnableOperator.Exists)
            return values.Count > 0 == (rule.Answer is null or "true");
        if (values.Count == 0 || rule.Answer is null)
            return false;
        return rule.Operator switch
        {
            // Several picks (repeats): equal when any pick is; not equal when none is.
            EnableOperator.Equals => values.Any(v => Same(question.Type, v, rule.Answer)),
            EnableOperator.NotEquals => !values.Any(v => Same(question.Type, v, rule.Answer)),
            _ => values.Any(v => Compare(question.Type, v, rule.Answer) is { } c && rule.Operator switch
            {
                EnableOperator.GreaterThan => c > 0,
                EnableOperator.LessThan => c < 0,
                EnableOperator.GreaterOrEqual => c >= 0,
                EnableOperator.LessOrEqual => c <= 0,
                _ => false,
            }),
        };
    }

    /// <summary>The answer's values a rule compares: a consent is "true" once signed, an open choice's own text counts too.</summary>
    private static List<string> Values(FormItem question, FormAnswer? answer)
    {
        if (answer is null)
            return [];
        var values = (answer.Values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToList();
        if (question.Type == FormItemType.OpenChoice && !string.IsNullOrWhiteSpace(answer.OtherText))
            values.Add(answer.OtherText.Trim());
        if (question.Type == FormItemType.Consent && answer.Consent is { } consent)
            values = [consent.Agreed && !string.IsNullOrWhiteSpace(consent.FullName) ? "true" : "false"];
        if (question.Type == FormItemType.Attachment && answer.AttachmentId is not null)
            values = ["attached"];
        return values;
    }

    private static bool Same(FormItemType type, string value, string expected) =>
        Compare(type, value, expected) is { } c ? c == 0
        : type is FormItemType.String or FormItemType.Text or FormItemType.OpenChoice
            ? string.Equals(value, expected.Trim(), StringComparison.OrdinalIgnoreCase) // typed text: "Yes" and "yes" are one answer
            : string.Equals(value, expected, StringComparison.Ordinal);

    private static int? Compare(FormItemType type, string value, string expected) =>
        FormDefinitionRules.Comparable(type, value) is { } a && FormDefinitionRules.Comparable(type, expected) is { } b ? a.CompareTo(b) : null;
}
