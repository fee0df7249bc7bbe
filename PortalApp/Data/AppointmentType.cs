namespace PortalApp.Data;

/// <summary>What kind of visit an appointment is; reminders and intake forms hang on it.</summary>
public class AppointmentType
{
    public const int MinLengthMinutes = 5, MaxLengthMinutes = 8 * 60;

    public int Id { get; set; }
    public string Name { get; set; } = "";
    public int DefaultLengthMinutes { get; set; } = 30;
    public bool IsVideo { get; set; }

    /// <summary>Inactive types keep their history but cannot be booked.</summary>
    public bool IsActive { get; set; } = true;

    public int Version { get; set; }
}
