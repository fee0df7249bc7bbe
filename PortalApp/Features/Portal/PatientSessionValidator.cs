using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using PortalApp.Data;
using PortalApp.Security;

namespace PortalApp.Features.Portal;

/// <summary>
/// Runs on every portal request: a session stands while its server-side record does (not signed out, not idle past
/// the limit, not 12 hours old), the account's security stamp is unchanged, and the account may still see someone
/// (every client card it could open end-dated, or every caregiver access ended, ends it at once).
/// </summary>
public static class PatientSessionValidator
{
    public const string AccessEndedKey = "portal:access-ended";

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var session = await StandingSessionAsync(http, context.Principal);
        if (session is null)
        {
            context.RejectPrincipal();
            await http.SignOutAsync(PatientAuth.Scheme);
            return;
        }
        var account = await http.RequestServices.GetRequiredService<PortalViewer>().AccountAsync(http, context.Principal);
        if (account is not { HasAccess: true })
        {
            if (account is not null)
                http.Items[AccessEndedKey] = true;
            // The cookie stays (it no longer works): every next page can still tell the patient why.
            context.RejectPrincipal();
            return;
        }
        // An open page's status poll is not activity: it must not keep an idle session alive.
        if (!http.Request.Path.StartsWithSegments(PatientSessionProbe.Path))
            await http.RequestServices.GetRequiredService<UserSessions>().TouchAsync(session);
    }

    /// <summary>The patient session behind <paramref name="principal"/> if it still stands; one that has just run out is ended.</summary>
    public static async Task<SessionView?> StandingSessionAsync(HttpContext http, System.Security.Claims.ClaimsPrincipal? principal)
    {
        var sessions = http.RequestServices.GetRequiredService<UserSessions>();
        var session = await sessions.FindAsync(principal?.FindFirst(UserSessions.Claim)?.Value, http.RequestAborted);
        if (session is null || session.Ended || session.Kind != SessionKind.Patient
            || session.UserId != principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value)
            return null;
        var idle = TimeSpan.FromMinutes(http.RequestServices.GetRequiredService<IOptions<PortalSessionOptions>>().Value.IdleTimeoutMinutes);
        if (sessions.Expiry(session, idle) is not { } expired)
            return session;
        await sessions.EndAsync(session.Id, expired, http.RequestAborted);
        return null;
    }

    /// <summary>The sign-in page then says why the patient is there: their access has ended, not a timeout.</summary>
    public static Task RedirectToSignInAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var target = context.HttpContext.Items.ContainsKey(AccessEndedKey)
            ? context.RedirectUri + (context.RedirectUri.Contains('?') ? "&" : "?") + "reason=ended"
            : context.RedirectUri;
        context.Response.Redirect(target);
        return Task.CompletedTask;
    }
}
