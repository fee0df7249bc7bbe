namespace PortalApp.Data;

public enum AccountTokenPurpose
{
    /// <summary>A new staff member sets their first password (72 hours).</summary>
    StaffInvite,
    /// <summary>Choose a new password, staff or patient (1 hour).</summary>
    PasswordReset,
    /// <summary>A locked staff account's owner lifts the lock for their own browser (1 hour).</summary>
    Unlock,
}

public enum AccountTokenStatus
{
    Pending,
    Used,
    /// <summary>A newer link for the same purpose was sent, or an admin cancelled it.</summary>
    Replaced,
}

/// <summary>
/// A one-time link emailed to the owner of an account. Only the token's SHA-256 hash is stored; the token itself goes
/// into the queued email encrypted, and is erased once sent (see OutboxEmail.ProtectedSecret).
/// </summary>
public class AccountToken
{
    public long Id { get; set; }
    public string UserId { get; set; } = "";
    public AccountTokenPurpose Purpose { get; set; }
    public byte[] TokenHash { get; set; } = [];
    public AccountTokenStatus Status { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime? EndedAtUtc { get; set; }

    /// <summary>Who asked for it: an admin's name, "the account owner", "Command line".</summary>
    public string CreatedByName { get; set; } = "";

    public bool IsUsableAt(DateTime utcNow) => Status == AccountTokenStatus.Pending && ExpiresAtUtc > utcNow;
}
