namespace PortalApp.Data;

public class Practitioner
{
    public int Id { get; set; }
    public string DisplayName { get; set; } = "";

    /// <summary>The practitioner's staff sign-in, when they have one.</summary>
    public string? StaffUserId { get; set; }
}
