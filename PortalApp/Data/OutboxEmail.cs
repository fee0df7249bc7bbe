namespace PortalApp.Data;

public enum OutboxStatus
{
    Pending,
    Sent,
    Failed,
}

/// <summary>An email waiting to go out, or the record of one that went (or could not).</summary>
public class OutboxEmail : ILeasedWork
{
    public long Id { get; set; }
    public string ToAddress { get; set; } = "";
    public string? ToName { get; set; }
    public string Subject { get; set; } = "";
    public string HtmlBody { get; set; } = "";
    public string TextBody { get; set; } = "";

    /// <summary>What caused it (e.g. "test", "invite"), for the Email log.</summary>
    public string Kind { get; set; } = "";
    public int? ClientId { get; set; }

    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime NextAttemptAtUtc { get; set; }
    public DateTime? LastAttemptAtUtc { get; set; }
    public DateTime? SentAtUtc { get; set; }
    public string? LastError { get; set; }

    /// <summary>
    /// A secret the bodies refer to by <see cref="SecretMarker"/> (an invite token), encrypted with Data Protection
    /// while the email waits, put in only at send time, and erased once the email is sent (a failed email keeps it, so
    /// an admin's retry still sends a working link).
    /// </summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>
    /// Promotional bulk email: the unsubscribe URL for the List-Unsubscribe header (RFC 8058 one-click), with its token
    /// as <see cref="SecretMarker"/> like the bodies.
    /// </summary>
    public string? ListUnsubscribeUrl { get; set; }

    public const string SecretMarker = "PORTALAPP-SECRET-TOKEN";

    /// <summary>The instance sending it now (see <see cref="WorkClaim"/>); null when nobody is.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>When that instance's claim lapses and another may send it (the claimer was killed mid-batch).</summary>
    public DateTime? LeaseExpiresAtUtc { get; set; }

    /// <summary>Stable across retries so a receiver can drop a duplicate after a crash between send and save.</summary>
    public string MessageId { get; set; } = "";
}
