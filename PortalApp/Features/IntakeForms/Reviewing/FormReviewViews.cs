using PortalApp.Data;

namespace PortalApp.Features.IntakeForms.Reviewing;

/// <summary>A form sent to the client, as the client card's Intake forms tab lists it.</summary>
/// <param name="RuleText">"Sent by the rule: …" when a rule by appointment type sent it; null when staff sent it by hand.</param>
public sealed record SentFormSummary(int Id, string FormTitle, int VersionNumber, FormAssignmentStatus Status, DateTime SentAtUtc, string SentByName,
    DateTime? DueAtUtc, DateTime? DraftSavedAtUtc, DateTime? SubmittedAtUtc, int? FormResponseId, DateTime? AppointmentStartUtc,
    string? AppointmentTypeName, string? RuleText);

/// <summary>A submitted response in a list: who filled it in, its score (PHQ-9 with its band) and whether staff reviewed it.</summary>
public sealed record ResponseSummary(int Id, int ClientId, string ClientName, int IntakeFormId, string FormTitle, int VersionNumber,
    DateTime SubmittedAtUtc, string FilledByName, bool FilledByCaregiver, decimal? Score, PhqScore? Phq, DateTime? ReviewedAtUtc, string? ReviewedByName)
{
    /// <summary>"Filled in by Jane Doe (caregiver)".</summary>
    public string FilledByText => FilledByCaregiver ? $"Filled in by {FilledByName} (caregiver)" : $"Filled in by {FilledByName}";

    /// <summary>"12 (Moderate)" for PHQ-9, the plain total for other scored forms, null for unscored ones.</summary>
    public string? ScoreText => Phq is { } phq ? $"{phq.Total} ({phq.Band})"
        : Score is { } score ? score.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>The client card's Intake forms tab.</summary>
public sealed record ClientFormsView(IReadOnlyList<SentFormSummary> Sent, IReadOnlyList<ResponseSummary> Responses, bool Truncated);

/// <summary>A response as staff read it: the rows FormAnswerDisplay gives, with what the page's buttons need.</summary>
public sealed record ResponseView(ResponseSummary Summary, IReadOnlyList<AnswerRow> Rows, bool HasPdf, string? PdfSha256, int? PreviousResponseId);

/// <summary>One page of the Forms to review list, oldest submission first.</summary>
public sealed record ReviewQueuePage(IReadOnlyList<ResponseSummary> Rows, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>The answer to Mark reviewed.</summary>
public abstract record ReviewMarkResult
{
    public sealed record Marked(DateTime ReviewedAtUtc, string ReviewedByName) : ReviewMarkResult;

    /// <summary>Someone marked it first (perhaps a moment ago): their mark stands.</summary>
    public sealed record AlreadyReviewed(DateTime ReviewedAtUtc, string ReviewedByName) : ReviewMarkResult;

    public sealed record Refused(string Reason) : ReviewMarkResult;

    public sealed record NotFound : ReviewMarkResult;
}

/// <summary>The answer to Compare.</summary>
/// <summary>Another response the compare view can put beside this one.</summary>
public sealed record ResponseChoice(int Id, DateTime SubmittedAtUtc, int VersionNumber);

public abstract record CompareResult
{
    /// <param name="Earlier">The response submitted first (left column); <paramref name="Later"/> the other.</param>
    /// <param name="Choices">Every other response of the client to the form, newest first: what this one can be compared with.</param>
    public sealed record Compared(ResponseSummary Earlier, ResponseSummary Later, int ThisResponseId, ResponseComparison Comparison,
        IReadOnlyList<ResponseChoice> Choices) : CompareResult;

    /// <summary>There is nothing to compare with: the first response to this form, or the other one is refused.</summary>
    public sealed record Refused(ResponseSummary This, string Reason) : CompareResult;

    public sealed record NotFound : CompareResult;
}

/// <summary>A file to download: a response's stored PDF or its FHIR QuestionnaireResponse.</summary>
public sealed record ResponseDownload(byte[] Bytes, string ContentType, string FileName);
