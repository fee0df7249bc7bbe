using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PortalApp.Data;
using PortalApp.Auditing;

namespace PortalApp.Components.Account;

/// <summary>Puts the display name in the cookie, so the app bar and audit log need no database read.</summary>
internal sealed class PortalUserClaimsFactory(
    UserManager<PortalUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffActor.DisplayNameClaim, user.DisplayName));
        return identity;
    }
}
