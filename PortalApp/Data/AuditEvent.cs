namespace PortalApp.Data;

public enum AuditOutcome
{
    Succeeded,
    Failed,
    Refused,
}

/// <summary>Who did what to whom, when. Never holds tokens, passwords or clinical text.</summary>
public class AuditEvent
{
    public long Id { get; set; }
    public DateTime AtUtc { get; set; }
    public string? StaffUserId { get; set; }

    /// <summary>Copied at the time, so the log still reads right after a rename or deletion.</summary>
    public string? StaffDisplayName { get; set; }
    public string Action { get; set; } = "";
    public int? ClientId { get; set; }
    public AuditOutcome Outcome { get; set; }
    public string? Details { get; set; }
}
