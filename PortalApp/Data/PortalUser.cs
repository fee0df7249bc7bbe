using Microsoft.AspNetCore.Identity;

namespace PortalApp.Data;

/// <summary>One table for every sign-in: clinic staff now, patient portal accounts in later issues.</summary>
public class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>For a patient portal account: the client card it belongs to. Null for staff.</summary>
    public int? ClientId { get; set; }
}
