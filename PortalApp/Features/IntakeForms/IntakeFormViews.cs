namespace PortalApp.Features.IntakeForms;

/// <summary>A row of the Forms page.</summary>
/// <param name="HasUnpublishedChanges">The draft differs from the latest version (or nothing is published yet).</param>
public sealed record IntakeFormSummary(int Id, string Title, int? LatestVersionNumber, DateTime? LatestPublishedAtUtc,
    bool HasDraft, bool HasUnpublishedChanges, DateTime? DraftUpdatedAtUtc, string? DraftUpdatedByName, bool IsArchived, bool IsStarter);

/// <summary>What the builder edits: the draft, with the token its save must present.</summary>
public sealed record IntakeFormDraftView(int Id, FormDefinition Definition, int Version, bool HasDraft, int? LatestVersionNumber, bool IsArchived);

/// <summary>One published version, as sent, filled in and compared.</summary>
public sealed record IntakeFormVersionView(int Id, int IntakeFormId, int Number, string Title, FormDefinition Definition,
    string DefinitionSha256, DateTime PublishedAtUtc, string PublishedByName);

/// <summary>A row of the editor's Versions list.</summary>
public sealed record IntakeFormVersionSummary(int Id, int Number, DateTime PublishedAtUtc, string PublishedByName, string DefinitionSha256);

/// <summary>A form as a FHIR Questionnaire download.</summary>
public sealed record FormExport(string FileName, string Json)
{
    /// <summary>"Health history.questionnaire.json": the title with the characters file systems refuse replaced.</summary>
    public static string FileNameFor(string? title)
    {
        var name = new string([.. (title ?? "").Trim().Select(c => char.IsControl(c) || "\\/:*?\"<>|".Contains(c) ? '-' : c)]).Trim('.', ' ');
        return (name.Length == 0 ? "form" : name) + ".questionnaire.json";
    }
}

/// <summary>The answer to creating, saving or resetting a draft.</summary>
public abstract record FormDraftResult
{
    public sealed record Saved(int Id, int Version) : FormDraftResult;

    public sealed record Invalid(IReadOnlyList<FormProblem> Problems) : FormDraftResult;

    public sealed record Refused(string Reason) : FormDraftResult;
}

/// <summary>The answer to publishing a draft.</summary>
public abstract record FormPublishResult
{
    public sealed record Published(int VersionId, int Number, int Version) : FormPublishResult;

    public sealed record Invalid(IReadOnlyList<FormProblem> Problems) : FormPublishResult;

    public sealed record Refused(string Reason) : FormPublishResult;
}
