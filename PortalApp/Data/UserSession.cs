namespace PortalApp.Data;

public enum SessionKind
{
    Staff,
    Patient,
}

public enum SessionEndReason
{
    SignedOut,
    IdleTimeout,
    TimeLimit,
    /// <summary>Password, roles, disabled, locked, two-factor: anything that changes the security stamp.</summary>
    AccountChanged,
    /// <summary>Someone else signed in on the same browser (staff after a patient, or the other way round).</summary>
    OtherSignIn,
    /// <summary>A new sign-in cookie replaced this one on the same browser (e.g. after setting up two-factor).</summary>
    Replaced,
}

/// <summary>
/// One signed-in browser. The cookie carries a random session token; only its hash is stored. A cookie whose session
/// has ended opens nothing, so signing out also stops a copied cookie, and every instance sees it at once.
/// </summary>
public class UserSession
{
    public long Id { get; set; }
    public byte[] TokenHash { get; set; } = [];
    public string UserId { get; set; } = "";
    public SessionKind Kind { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime LastSeenAtUtc { get; set; }
    public DateTime? EndedAtUtc { get; set; }
    public SessionEndReason? EndReason { get; set; }
}
