namespace PortalApp.Data;

public class Practitioner
{
    public const string DefaultColour = "#1565C0";

    public int Id { get; set; }
    public string DisplayName { get; set; } = "";

    /// <summary>Shown after the name, e.g. "MD", "RMT".</summary>
    public string? Credentials { get; set; }

    /// <summary>#RRGGBB, the practitioner's colour on the Schedule.</summary>
    public string Colour { get; set; } = DefaultColour;

    /// <summary>Inactive practitioners keep their history but cannot be booked.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>The practitioner's staff sign-in, when they have one.</summary>
    public string? StaffUserId { get; set; }

    public int Version { get; set; }
}
