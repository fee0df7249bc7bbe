namespace PortalApp.Data;

public enum AppointmentChangeKind
{
    Booked,
    Rescheduled,
    Edited,
    Cancelled,
    Arrived,
    Completed,
    NoShow,
    Reopened,
    Imported,
    MovedByMerge,
    Confirmed,
}

/// <summary>One change to a booking, kept for good: the appointment's history. Times only, never clinical text.</summary>
public class AppointmentChange
{
    public long Id { get; set; }
    public int AppointmentId { get; set; }
    public AppointmentChangeKind Kind { get; set; }
    public DateTime AtUtc { get; set; }
    public string? StaffUserId { get; set; }
    public string StaffDisplayName { get; set; } = "";

    /// <summary>What changed, e.g. "Tue 3 Dec 09:00 → Wed 4 Dec 10:30" or the cancel reason.</summary>
    public string? Details { get; set; }
}
