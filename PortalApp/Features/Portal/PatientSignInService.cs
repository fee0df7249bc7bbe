using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Portal;

/// <summary>Puts a patient's cookie on the browser (and takes any staff cookie off: one person per browser).</summary>
public sealed class PatientSignInService(SignInManager<PortalUser> signIn, ClinicClock clock)
{
    public async Task SignInAsync(HttpContext context, PortalUser user)
    {
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(PatientAuth.SignedInAtClaim, clock.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
        await context.SignInAsync(PatientAuth.Scheme, principal, new AuthenticationProperties { IsPersistent = false });
    }

    public Task SignOutAsync(HttpContext context)
    {
        context.Response.Cookies.Delete(PortalViewer.ViewingCookie, new CookieOptions { Path = "/portal" });
        return context.SignOutAsync(PatientAuth.Scheme);
    }
}
