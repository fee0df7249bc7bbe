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
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }
    public string Type { get; set; } = "";
    public string Location { get; set; } = "";
    public AppointmentStatus Status { get; set; }

    /// <summary>The practitioner's chart note for this visit.</summary>
    public string? ChartNote { get; set; }
    public DateTime? ChartNoteUpdatedAtUtc { get; set; }
    public int Version { get; set; }
}
