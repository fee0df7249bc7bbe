using PortalApp.Data;

namespace PortalApp.Features.Templates;

/// <summary>What a template must be before it is saved; every message says how to fix it.</summary>
public static class TemplateRules
{
    public static Dictionary<string, string> Validate(TemplateRenderer renderer, TemplateKind kind, string? name, string? subject, string? body)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(name))
            errors["Name"] = "Give the template a name.";
        else if (name.Length > 100)
            errors["Name"] = "A template name can be at most 100 characters.";

        if (TemplateKinds.IsPlainText(kind))
        {
            // A text message or a call has no subject: whatever the form holds is not saved.
        }
        else if (string.IsNullOrWhiteSpace(subject))
            errors["Subject"] = "Enter a subject.";
        else if (subject.Length > TemplateRenderer.MaxSubjectLength)
            errors["Subject"] = $"A subject can be at most {TemplateRenderer.MaxSubjectLength} characters.";
        else if (Problem(renderer, kind, subject, out _) is { } subjectProblem)
            errors["Subject"] = subjectProblem;

        if (string.IsNullOrWhiteSpace(body))
            errors["Body"] = "Write the message.";
        else if (body.Length > TemplateKinds.MaxBodyLength(kind))
            errors["Body"] = $"A message can be at most {TemplateKinds.MaxBodyLength(kind):N0} characters.";
        else if (Problem(renderer, kind, body, out var check) is { } bodyProblem)
            errors["Body"] = bodyProblem;
        else if (TemplatePlaceholders.RequiredFor(kind).FirstOrDefault(p => !check!.Printed.Contains(p)) is { } missing)
            errors["Body"] = MissingRequired(kind, missing);
        return errors;
    }

    private static string MissingRequired(TemplateKind kind, string placeholder) => kind switch
    {
        TemplateKind.PortalInvite or TemplateKind.CaregiverInvite =>
            $"An invite must contain {{{{ {placeholder} }}}}: without it the {(kind == TemplateKind.CaregiverInvite ? "caregiver" : "patient")} gets no way to register.",
        _ => $"A reminder must contain {{{{ {placeholder} }}}}: without it the patient has no way to confirm or cancel.",
    };

    private static string? Problem(TemplateRenderer renderer, TemplateKind kind, string text, out TemplateCheck? check)
    {
        check = renderer.Inspect(text, out var unreadable);
        if (check is null)
            return unreadable;
        if (check.Refused.Count > 0)
            return TemplateLanguage.Describe(check.Refused);
        var allowed = TemplatePlaceholders.For(kind).Select(p => p.Path).ToList();
        var unknown = check.Names.Except(allowed).Order(StringComparer.Ordinal).ToList();
        return unknown.Count == 0
            ? null
            : $"Unknown placeholder{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown)}. You can use: {string.Join(", ", allowed)}.";
    }
}
