namespace PortalApp.Data;

/// <summary>
/// A form the clinic sends: its draft (edited freely) and, through <see cref="IntakeFormVersion"/>, its published
/// versions (never changed). Definitions are FormDefinition JSON: see docs/decisions/0015.
/// </summary>
public class IntakeForm
{
    public int Id { get; set; }
    public string Title { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>The draft's FormDefinition as JSON; null when the form has no draft (its latest version is what is sent).</summary>
    public string? DraftJson { get; set; }

    public DateTime? DraftUpdatedAtUtc { get; set; }
    public string? DraftUpdatedByName { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? ArchivedAtUtc { get; set; }

    /// <summary>Which starter form this came from (unique when set), so the start-up seed never adds one twice.</summary>
    public string? StarterKey { get; set; }

    public int Version { get; set; }
}

/// <summary>A published form: written once, never updated, so every response is read against the questions it answered.</summary>
public class IntakeFormVersion
{
    public int Id { get; set; }
    public int IntakeFormId { get; set; }

    /// <summary>1, 2, 3… within the form (unique with <see cref="IntakeFormId"/>).</summary>
    public int Number { get; set; }

    public string Title { get; set; } = "";
    public string DefinitionJson { get; set; } = "";

    /// <summary>Hex SHA-256 of <see cref="DefinitionJson"/>'s UTF-8 bytes: shows the stored text was never altered.</summary>
    public string DefinitionSha256 { get; set; } = "";

    public DateTime PublishedAtUtc { get; set; }
    public string PublishedByName { get; set; } = "";
}

public enum FormAssignmentStatus
{
    ToDo,
    Draft,
    Submitted,
    Withdrawn,
}

/// <summary>A published form version sent to a client, with the patient's draft answers until they submit.</summary>
public class FormAssignment : ILeasedWork
{
    public int Id { get; set; }
    public int ClientId { get; set; }
    public int IntakeFormId { get; set; }
    public int IntakeFormVersionId { get; set; }
    public int? AppointmentId { get; set; }

    /// <summary>The rule by appointment type that sent it; null when staff sent it by hand.</summary>
    public int? FormRuleId { get; set; }

    public FormAssignmentStatus Status { get; set; }
    public DateTime? DueAtUtc { get; set; }
    public DateTime SentAtUtc { get; set; }
    public string SentByName { get; set; } = "";
    public int? ConversationId { get; set; }
    public string? DraftAnswersJson { get; set; }
    public DateTime? DraftSavedAtUtc { get; set; }
    public string? DraftSavedByName { get; set; }
    public DateTime? SubmittedAtUtc { get; set; }
    public int? FormResponseId { get; set; }
    public DateTime? NextReminderAtUtc { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? LeaseExpiresAtUtc { get; set; }
    public int Version { get; set; }
}

/// <summary>A submitted form: the answers, the version they answered, who filled it in, and the PDF kept as the record.</summary>
public class FormResponse
{
    public int Id { get; set; }
    public int? FormAssignmentId { get; set; }
    public int ClientId { get; set; }
    public int IntakeFormId { get; set; }
    public int IntakeFormVersionId { get; set; }
    public string AnswersJson { get; set; } = "";
    public decimal? Score { get; set; }
    public DateTime SubmittedAtUtc { get; set; }
    public string FilledByName { get; set; } = "";
    public string? FilledByUserId { get; set; }

    /// <summary>Set when a caregiver filled the form in on the patient's behalf: the patient's name.</summary>
    public string? FilledForClientName { get; set; }

    public byte[]? PdfBytes { get; set; }
    public string? PdfSha256 { get; set; }
    public DateTime? ReviewedAtUtc { get; set; }
    public string? ReviewedByName { get; set; }
}

/// <summary>"Send this form N days before an appointment of this type, unless completed in the last M months."</summary>
public class FormRule
{
    public const int MaxDaysBefore = 60;
    public const int MaxSkipMonths = 60;

    public int Id { get; set; }
    public int IntakeFormId { get; set; }
    public int AppointmentTypeId { get; set; }
    public int DaysBefore { get; set; }

    /// <summary>0 means never skip.</summary>
    public int SkipIfCompletedWithinMonths { get; set; }

    public bool IsActive { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public string CreatedByName { get; set; } = "";
    public int Version { get; set; }
}

/// <summary>A file a patient attached to an attachment question (an insurance card, an ID): at most 10 MB.</summary>
public class FormAttachment
{
    public int Id { get; set; }
    public int FormAssignmentId { get; set; }
    public string LinkId { get; set; } = "";
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public byte[] Bytes { get; set; } = [];
    public string Sha256 { get; set; } = "";
    public DateTime UploadedAtUtc { get; set; }
}
