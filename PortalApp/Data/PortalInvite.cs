namespace PortalApp.Data;

public enum InviteStatus
{
    /// <summary>Sent, not yet used; still usable until <see cref="PortalInvite.ExpiresAtUtc"/>.</summary>
    Pending,
    Registered,
    /// <summary>A newer invite replaced it while it was still open.</summary>
    Superseded,
    /// <summary>Replaced, or looked at, after its expiry date.</summary>
    Expired,
    Revoked,
    /// <summary>The client card was end-dated.</summary>
    Cancelled,
    /// <summary>Too many wrong identity checks at registration.</summary>
    Locked,
}

/// <summary>An invitation to the patient portal, for the patient or for one of their caregivers. The token itself is never stored: only its SHA-256 hash.</summary>
public class PortalInvite
{
    public long Id { get; set; }
    /// <summary>The patient whose portal the invite opens (for a caregiver invite too).</summary>
    public int ClientId { get; set; }
    public Client Client { get; set; } = null!;

    /// <summary>Set for a caregiver's invite; null for the patient's own.</summary>
    public long? CaregiverAccessId { get; set; }
    public CaregiverAccess? CaregiverAccess { get; set; }
    public byte[] TokenHash { get; set; } = [];
    public InviteStatus Status { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public string SentByUserId { get; set; } = "";
    public string SentByName { get; set; } = "";
    public int? TemplateId { get; set; }
    public string TemplateName { get; set; } = "";

    /// <summary>What the patient received, with the personal link masked.</summary>
    public string Subject { get; set; } = "";
    public string BodyHtml { get; set; } = "";
    public string BodyText { get; set; } = "";

    /// <summary>The address the link went to. Registration refuses it once the card (or caregiver) has another address.</summary>
    public string SentToEmail { get; set; } = "";

    public long? OutboxEmailId { get; set; }
    public OutboxEmail? OutboxEmail { get; set; }
    public DateTime? EndedAtUtc { get; set; }
    public string? EndedByName { get; set; }
    public int FailedIdentityChecks { get; set; }

    public bool IsOpenAt(DateTime utcNow) => Status == InviteStatus.Pending && ExpiresAtUtc > utcNow;
}
