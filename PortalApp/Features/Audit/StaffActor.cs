using System.Security.Claims;

namespace PortalApp.Features.Audit;

/// <summary>The signed-in staff member on whose behalf a service acts; recorded in the audit log.</summary>
public sealed record StaffActor(string UserId, string DisplayName)
{
    public const string DisplayNameClaim = "portal:display_name";

    public static StaffActor From(ClaimsPrincipal user) => new(
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No signed-in user."),
        user.FindFirstValue(DisplayNameClaim) ?? user.Identity?.Name ?? "");
}
