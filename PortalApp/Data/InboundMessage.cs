namespace PortalApp.Data;

public enum InboundOutcome
{
    Confirmed,
    Cancelled,
    OptedOut,
    OptedIn,

    /// <summary>Not understood: it waits on the staff's Replies to review list.</summary>
    NeedsReview,
}

/// <summary>A text a patient sent to the clinic's number, or a key they pressed on a reminder call. Never dropped.</summary>
public class InboundMessage
{
    public const int MaxNumberLength = 20, MaxBodyLength = 1600;

    public long Id { get; set; }
    public MessageChannel Channel { get; set; }
    public string FromNumber { get; set; } = "";
    public string ToNumber { get; set; } = "";
    public string Body { get; set; } = "";

    /// <summary>The provider's id for it (unique: a webhook the provider retries is recorded once).</summary>
    public string ProviderMessageId { get; set; } = "";
    public DateTime ReceivedAtUtc { get; set; }

    /// <summary>The client it was matched to (by the reminder it answers, or by mobile number); null when none.</summary>
    public int? ClientId { get; set; }
    public int? AppointmentId { get; set; }

    /// <summary>The reminder it answers, when known (a voice call's keypress, or the latest text to that number).</summary>
    public long? OutboundMessageId { get; set; }

    public InboundOutcome Outcome { get; set; }
    public DateTime? ReviewedAtUtc { get; set; }
    public string? ReviewedByName { get; set; }
}
