namespace PortalApp.Data;

public enum AppointmentStatus
{
    Booked,
    Arrived,
    Completed,
    Cancelled,
    NoShow,
}

public class Appointment
{
    public int Id { get; set; }
    public int ClientId { get; set; }
    public Client Client { get; set; } = null!;
    public int PractitionerId { get; set; }
    public Practitioner Practitioner { get; set; } = null!;
    public int AppointmentTypeId { get; set; }
    public AppointmentType AppointmentType { get; set; } = null!;

    /// <summary>Stored in UTC, but booked and shown as the clinic's wall-clock time on that day (see ClinicTime).</summary>
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }

    /// <summary>The room, or empty for a video visit.</summary>
    public string Location { get; set; } = "";
    public bool IsVideo { get; set; }
    public AppointmentStatus Status { get; set; }
    public string? CancelReason { get; set; }

    /// <summary>When the patient (or staff for them) confirmed they will come, and how: "text reply", "voice call", "reminder link", "staff".</summary>
    public DateTime? ConfirmedAtUtc { get; set; }
    public string? ConfirmedVia { get; set; }

    /// <summary>The appointment's id in the system the clinic imported from.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The practitioner's chart note for this visit.</summary>
    public string? ChartNote { get; set; }
    public DateTime? ChartNoteUpdatedAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public int Version { get; set; }

    public List<AppointmentChange> Changes { get; set; } = [];
}
