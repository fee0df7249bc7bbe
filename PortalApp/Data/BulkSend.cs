namespace PortalApp.Data;

/// <summary>How a bulk send reaches each patient. <see cref="Invite"/> is a bulk invite: the normal portal invite email.</summary>
public enum BulkChannel
{
    Portal,
    Email,
    Sms,
    Voice,
    Invite,
}

/// <summary>
/// Care and service messages (a closure, a change to bookings) are transactional; promotional ones (a flu clinic, a new
/// service, a newsletter) go only to patients with consent and always carry the clinic's identification and an unsubscribe.
/// </summary>
public enum BulkPurpose
{
    Care,
    Promotional,
}

public enum BulkAudienceKind
{
    PortalAccounts,
    Appointments,
    NotYetInvited,
    InviteExpired,
    HandPicked,
}

public enum BulkSendState
{
    /// <summary>Waiting for its start (the undo window, or the time it was scheduled for): nothing has left yet.</summary>
    Scheduled,
    Sending,
    Paused,
    Finished,

    /// <summary>Undone before it started, or cancelled midway: recipients not yet reached never will be.</summary>
    Cancelled,
}

/// <summary>
/// One bulk send: the audience as it was chosen, the message as written, and where the job stands. Each recipient is a
/// <see cref="BulkRecipient"/>; the job hands each one message with exactly one recipient to the outbound seam.
/// One instance runs a job at a time (its lease), releasing recipients at the channel's rate.
/// </summary>
public class BulkSend : ILeasedWork
{
    public const int MaxTitleLength = 120, MaxSubjectLength = 300, MaxBodyLength = 8000, MaxAudienceLength = 40_000;
    public const int MaxAudienceDescriptionLength = 500, MaxKeyLength = 64;

    public long Id { get; set; }

    /// <summary>The compose page's one-time key: a double click, or a form posted twice, makes one send.</summary>
    public string IdempotencyKey { get; set; } = "";

    /// <summary>Staff's name for it in lists and the report (never shown to patients).</summary>
    public string Title { get; set; } = "";
    public BulkChannel Channel { get; set; }
    public BulkPurpose Purpose { get; set; }
    public BulkAudienceKind AudienceKind { get; set; }

    /// <summary>The filter as JSON (<c>BulkAudienceFilter</c>), so the report and the audit say exactly who was picked and how.</summary>
    public string AudienceJson { get; set; } = "";

    /// <summary>The filter in words, e.g. "Appointments 1–5 Dec 2026 with Dr Okafor".</summary>
    public string AudienceDescription { get; set; } = "";

    public int? TemplateId { get; set; }

    /// <summary>Email and portal: the subject, with Liquid placeholders.</summary>
    public string? Subject { get; set; }

    /// <summary>The message with Liquid placeholders, rendered per recipient with that recipient's values only.</summary>
    public string Body { get; set; } = "";

    public BulkSendState State { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public string CreatedByUserId { get; set; } = "";
    public string CreatedByName { get; set; } = "";

    /// <summary>When staff asked for it to go; null: as soon as the undo window ends.</summary>
    public DateTime? ScheduledForUtc { get; set; }

    /// <summary>The first message leaves no earlier than this: the end of the undo window, or the scheduled time.</summary>
    public DateTime StartsAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    public DateTime? CancelledAtUtc { get; set; }
    public string? CancelledByName { get; set; }
    public string? PausedByName { get; set; }

    /// <summary>The throttle's clock: recipients are released at the channel's rate from here.</summary>
    public DateTime? LastReleaseAtUtc { get; set; }

    public int RecipientCount { get; set; }
    public int ExcludedCount { get; set; }

    public string? ClaimedBy { get; set; }
    public DateTime? LeaseExpiresAtUtc { get; set; }
    public int Version { get; set; }
}
