using Microsoft.AspNetCore.Identity;

namespace PortalApp.Data;

/// <summary>One table for every sign-in: clinic staff now, patient portal accounts in later issues.</summary>
public class PortalUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>For a patient portal account: the client card it belongs to. Null for staff.</summary>
    public int? ClientId { get; set; }

    /// <summary>A disabled staff account cannot sign in, and its open sessions end (the security stamp changes with it).</summary>
    public DateTime? DisabledAtUtc { get; set; }

    public DateTime? LastSignInAtUtc { get; set; }
}
