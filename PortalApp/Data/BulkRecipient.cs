namespace PortalApp.Data;

public enum BulkRecipientStatus
{
    /// <summary>Not reached yet.</summary>
    Pending,

    /// <summary>Its one message was handed to the outbound seam (the message's own row says sent, delivered or failed).</summary>
    Sent,

    /// <summary>Left out, with the reason: when the audience was chosen, or when its turn came.</summary>
    Skipped,

    /// <summary>Could not be prepared (the template did not render for this patient); the reason says why.</summary>
    Failed,

    /// <summary>The send was cancelled before this recipient's turn.</summary>
    Cancelled,
}

/// <summary>
/// One patient of a bulk send, or one patient left out of it and why. A patient appears once per send, and an address
/// once per send, however many filters or cards they match (unique indexes, not only code).
/// </summary>
public class BulkRecipient
{
    public const int MaxNameLength = 200, MaxAddressLength = 320, MaxReasonLength = 500;

    public long Id { get; set; }
    public long BulkSendId { get; set; }
    public BulkSend BulkSend { get; set; } = null!;

    /// <summary>Null only for a left-out portal account that has no client card (a caregiver-only account).</summary>
    public int? ClientId { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The normalised email address or E.164 number it goes to; null when it is left out or goes to the portal.</summary>
    public string? Address { get; set; }

    public BulkRecipientStatus Status { get; set; }
    public string? Reason { get; set; }

    /// <summary>The order recipients are reached in (the audience's order: last name, first name).</summary>
    public int Position { get; set; }
    public DateTime? ProcessedAtUtc { get; set; }

    public long? OutboundMessageId { get; set; }
    public OutboundMessage? OutboundMessage { get; set; }
    public int? ConversationId { get; set; }
    public Conversation? Conversation { get; set; }
    public long? PortalInviteId { get; set; }
    public PortalInvite? PortalInvite { get; set; }

    /// <summary>Promotional sends: SHA-256 of the recipient's unsubscribe token (256 random bits, never stored).</summary>
    public byte[]? UnsubscribeTokenHash { get; set; }
    public DateTime? UnsubscribeExpiresAtUtc { get; set; }
    public DateTime? UnsubscribedAtUtc { get; set; }
}
