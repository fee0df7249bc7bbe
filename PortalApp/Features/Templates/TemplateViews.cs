using PortalApp.Data;

namespace PortalApp.Features.Templates;

/// <param name="Subject">An email's subject; for a text message or a call, the start of its text.</param>
public sealed record TemplateSummary(int Id, string Name, TemplateKind Kind, string Subject, bool IsDefault, DateTime UpdatedAtUtc,
    ClientLanguage Language = ClientLanguage.English);

public sealed class TemplateEditModel
{
    public int? Id { get; set; }
    public TemplateKind Kind { get; set; }
    public string Name { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";

    /// <summary>Who it is written for: chosen for reminder kinds, English for the others.</summary>
    public ClientLanguage Language { get; set; }
    public int Version { get; set; }
}

public abstract record TemplateSaveResult
{
    public sealed record Saved(int Id, int Version) : TemplateSaveResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : TemplateSaveResult;
    public sealed record Conflict(string Message) : TemplateSaveResult;
    public sealed record NotFound : TemplateSaveResult;
}
