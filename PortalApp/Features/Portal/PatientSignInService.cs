using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using PortalApp.Data;

namespace PortalApp.Features.Portal;

/// <summary>Puts a patient's cookie on the browser; its session starts then (SessionCookies), and any staff session here ends.</summary>
public sealed class PatientSignInService(SignInManager<PortalUser> signIn)
{
    public async Task SignInAsync(HttpContext context, PortalUser user)
    {
        var principal = await signIn.CreateUserPrincipalAsync(user);
        await context.SignInAsync(PatientAuth.Scheme, principal, new AuthenticationProperties { IsPersistent = false });
    }

    public Task SignOutAsync(HttpContext context)
    {
        context.Response.Cookies.Delete(PortalViewer.ViewingCookie, new CookieOptions { Path = "/portal" });
        return context.SignOutAsync(PatientAuth.Scheme);
    }
}
