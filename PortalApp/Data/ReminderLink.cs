namespace PortalApp.Data;

/// <summary>
/// The personal Confirm / Cancel link a reminder carries: 256 random bits, only the SHA-256 stored, expiring at the
/// appointment's start. Confirming may be repeated; cancelling uses it up (<see cref="CancelledAtUtc"/>).
/// </summary>
public class ReminderLink
{
    public long Id { get; set; }
    public int AppointmentId { get; set; }
    public int ClientId { get; set; }
    public byte[] TokenHash { get; set; } = [];
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime? ConfirmedAtUtc { get; set; }
    public DateTime? CancelledAtUtc { get; set; }
}
