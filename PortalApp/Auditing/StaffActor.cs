using System.Security.Claims;
using PortalApp.Data;

namespace PortalApp.Auditing;

/// <summary>The signed-in staff member on whose behalf a service acts: recorded in the audit log, checked for roles.</summary>
public sealed record StaffActor(string UserId, string DisplayName, params string[] Roles)
{
    public const string DisplayNameClaim = "portal:display_name";

    /// <summary>The IT person at the server's command line (admin create, reset-password, …): acts with an admin's rights.</summary>
    public static readonly StaffActor CommandLine = new("command-line", "Command line", StaffRoles.Admin);

    public bool IsAdmin => Roles.Contains(StaffRoles.Admin);

    /// <summary>Chart notes are clinical records: practitioners write them; admins may correct them.</summary>
    public bool MayWriteChartNotes => Roles.Contains(StaffRoles.Practitioner) || IsAdmin;

    public static StaffActor From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No signed-in user."),
        user.FindFirstValue(DisplayNameClaim) ?? user.Identity?.Name ?? "",
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray());
}
