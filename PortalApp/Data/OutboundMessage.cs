namespace PortalApp.Data;

public enum MessageChannel
{
    Email,
    Sms,
    Voice,
}

public enum OutboundMessageStatus
{
    /// <summary>Waiting for its first try, or for a retry after a temporary failure (429, 5xx, timeout).</summary>
    Queued,

    /// <summary>The provider (or the email outbox) took it; no delivery report yet.</summary>
    Sent,

    Delivered,

    /// <summary>Will not be tried again; <see cref="OutboundMessage.StatusDetail"/> says why (the provider's reason).</summary>
    Failed,

    /// <summary>The recipient answered it (a text reply or a key pressed on the call).</summary>
    Replied,

    /// <summary>The app stopped while handing it to the provider: it may or may not have gone.</summary>
    Uncertain,

    /// <summary>Taken back before it went (the appointment was cancelled or moved, a bulk send was cancelled).</summary>
    Withdrawn,
}

/// <summary>
/// One message to one recipient on one channel: the one seam every sender (reminders, later bulk messaging) writes to.
/// SMS and voice rows are sent by the messaging dispatcher through the provider; an email row hands its content to the
/// existing email outbox (<see cref="OutboxEmailId"/>) and follows that row's state.
/// </summary>
public class OutboundMessage : ILeasedWork
{
    public const int MaxRecipientLength = 320, MaxSubjectLength = 300, MaxBodyLength = 8000, MaxDetailLength = 500;
    public const int MaxKindLength = 40, MaxProviderIdLength = 64;

    public long Id { get; set; }
    public MessageChannel Channel { get; set; }

    /// <summary>An email address, or an E.164 phone number for SMS and voice.</summary>
    public string Recipient { get; set; } = "";
    public string? RecipientName { get; set; }
    public int? ClientId { get; set; }
    public int? AppointmentId { get; set; }
    public ClientLanguage Language { get; set; }

    /// <summary>What caused it, e.g. "reminder", "test"; shown in the Messages log.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Email only.</summary>
    public string? Subject { get; set; }

    /// <summary>
    /// The rendered content: the SMS text, the words a voice call says, or the email's Markdown-rendered text. A personal
    /// link appears as <see cref="OutboxEmail.SecretMarker"/> and is put in only at send time from <see cref="ProtectedSecret"/>.
    /// </summary>
    public string Body { get; set; } = "";

    /// <summary>A token the body refers to, encrypted with Data Protection while the message waits; erased once sent.</summary>
    public string? ProtectedSecret { get; set; }

    public OutboundMessageStatus Status { get; set; }

    /// <summary>Why it failed or was skipped, in words staff understand (e.g. "The number is not a valid phone number (21211)").</summary>
    public string? StatusDetail { get; set; }

    public int Attempts { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime NextAttemptAtUtc { get; set; }
    public DateTime? LastAttemptAtUtc { get; set; }
    public DateTime? SentAtUtc { get; set; }
    public DateTime? DeliveredAtUtc { get; set; }

    /// <summary>The provider's id (Twilio's message or call SID); status callbacks find the row by it.</summary>
    public string? ProviderMessageId { get; set; }

    /// <summary>Email channel: the email outbox row that carries it.</summary>
    public long? OutboxEmailId { get; set; }
    public OutboxEmail? OutboxEmail { get; set; }

    public string? ClaimedBy { get; set; }
    public DateTime? LeaseExpiresAtUtc { get; set; }
    public int Version { get; set; }
}
