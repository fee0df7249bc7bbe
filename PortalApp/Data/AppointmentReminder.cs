namespace PortalApp.Data;

public enum ReminderStatus
{
    Scheduled,
    Sent,

    /// <summary>Not sent, with <see cref="AppointmentReminder.SkipReason"/> (end-dated, opted out, no mobile number…).</summary>
    Skipped,

    /// <summary>The appointment was cancelled or moved before it went.</summary>
    Withdrawn,
}

/// <summary>
/// One planned reminder of one appointment on one channel: the clinic's reminder schedule entry <see cref="Slot"/> for the
/// start time <see cref="AppointmentStartUtc"/>. A unique index on those four sends each at most once, across restarts
/// and instances; a reschedule withdraws the unsent ones and plans new ones for the new start.
/// </summary>
public class AppointmentReminder : ILeasedWork
{
    public const int MaxSkipReasonLength = 200;

    public long Id { get; set; }

    /// <summary>The first appointment of a client's back-to-back run that day (the others get no reminder of their own).</summary>
    public int AppointmentId { get; set; }
    public int ClientId { get; set; }
    public MessageChannel Channel { get; set; }

    /// <summary>Which entry of the clinic's reminder schedule (0, 1 or 2).</summary>
    public int Slot { get; set; }
    public DateTime AppointmentStartUtc { get; set; }

    /// <summary>When the schedule says it is due, and when it goes: later, if that falls in quiet hours.</summary>
    public DateTime DueAtUtc { get; set; }
    public DateTime SendAtUtc { get; set; }

    public ReminderStatus Status { get; set; }
    public string? SkipReason { get; set; }
    public long? OutboundMessageId { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? DoneAtUtc { get; set; }

    public string? ClaimedBy { get; set; }
    public DateTime? LeaseExpiresAtUtc { get; set; }
    public int Version { get; set; }
}
