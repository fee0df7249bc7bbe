using System.Text.RegularExpressions;
using PortalApp.Data;

namespace PortalApp.Features.Templates;

/// <summary>What a template must be before it is saved; every message says how to fix it.</summary>
public static partial class TemplateRules
{
    private static readonly HashSet<string> LiquidWords = ["and", "or", "contains", "true", "false", "nil", "null", "empty", "blank", "in", "with", "forloop"];

    public static Dictionary<string, string> Validate(TemplateRenderer renderer, TemplateKind kind, string? name, string? subject, string? body)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(name))
            errors["Name"] = "Give the template a name.";
        else if (name.Length > 100)
            errors["Name"] = "A template name can be at most 100 characters.";

        if (string.IsNullOrWhiteSpace(subject))
            errors["Subject"] = "Enter a subject.";
        else if (subject.Length > TemplateRenderer.MaxSubjectLength)
            errors["Subject"] = $"A subject can be at most {TemplateRenderer.MaxSubjectLength} characters.";
        else if (Problem(renderer, kind, subject) is { } subjectProblem)
            errors["Subject"] = subjectProblem;

        if (string.IsNullOrWhiteSpace(body))
            errors["Body"] = "Write the message.";
        else if (body.Length > TemplateRenderer.MaxBodyLength)
            errors["Body"] = $"A message can be at most {TemplateRenderer.MaxBodyLength:N0} characters.";
        else if (Problem(renderer, kind, body) is { } bodyProblem)
            errors["Body"] = bodyProblem;
        else if (TemplatePlaceholders.RequiredFor(kind).FirstOrDefault(p => !Uses(body, p)) is { } missing)
            errors["Body"] = $"An invite must contain {{{{ {missing} }}}}: without it the {(kind == TemplateKind.CaregiverInvite ? "caregiver" : "patient")} gets no way to register.";
        return errors;
    }

    private static string? Problem(TemplateRenderer renderer, TemplateKind kind, string text)
    {
        if (renderer.ParseProblem(text) is { } parse)
            return $"This is not valid Liquid: {parse}";
        var unknown = UnknownPlaceholders(kind, text);
        return unknown.Count == 0
            ? null
            : $"Unknown placeholder{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown)}. You can use: {string.Join(", ", TemplatePlaceholders.For(kind).Select(p => p.Path))}.";
    }

    public static bool Uses(string text, string placeholder) =>
        Regex.IsMatch(text, @"\{\{-?\s*" + Regex.Escape(placeholder) + @"\s*(\|[^}]*)?-?\}\}");

    /// <summary>Names used in output and condition tags that are neither placeholders nor the template's own variables.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(TemplateKind kind, string text)
    {
        var allowed = TemplatePlaceholders.For(kind).Select(p => p.Path).ToHashSet();
        var own = OwnVariables().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
        var used = new List<string>();
        foreach (Match tag in Tags().Matches(text))
        {
            var expression = Quoted().Replace(tag.Groups["expr"].Value, "");
            var beforeFilters = tag.Groups["out"].Success ? expression.Split('|')[0] : expression;
            used.AddRange(Identifiers().Matches(beforeFilters).Select(m => m.Value));
        }
        return used
            .Where(path => !LiquidWords.Contains(path.Split('.')[0]) && !allowed.Contains(path) && !own.Contains(path.Split('.')[0]))
            .Distinct()
            .ToList();
    }

    [GeneratedRegex(@"\{\{-?(?<out>)(?<expr>.*?)-?\}\}|\{%-?\s*(?:if|elsif|unless|case|when)\b(?<expr>.*?)-?%\}", RegexOptions.Singleline)]
    private static partial Regex Tags();

    [GeneratedRegex(@"\{%-?\s*(?:assign|capture|for)\s+([a-z_][a-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex OwnVariables();

    [GeneratedRegex("\"[^\"]*\"|'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")]
    private static partial Regex Identifiers();
}
