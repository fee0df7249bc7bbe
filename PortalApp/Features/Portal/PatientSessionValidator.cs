using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace PortalApp.Features.Portal;

/// <summary>
/// Runs on every portal request: a session ends 12 hours after sign-in whatever the activity, when the account's
/// security stamp changed, and at once when the account may no longer see anyone (every client card it could open is
/// end-dated, every caregiver access ended).
/// </summary>
public static class PatientSessionValidator
{
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);
    public const string AccessEndedKey = "portal:access-ended";

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var clock = services.GetRequiredService<Clinic.ClinicClock>();
        var expired = !StillValid(context.Principal, clock.UtcNow);
        var account = expired ? null : await services.GetRequiredService<PortalViewer>().AccountAsync(context.HttpContext, context.Principal);
        if (account is not { HasAccess: true })
        {
            if (account is not null)
                context.HttpContext.Items[AccessEndedKey] = true;
            // The cookie stays (it no longer works): every next page can still tell the patient why.
            context.RejectPrincipal();
        }
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

    internal static bool StillValid(ClaimsPrincipal? principal, DateTime now) =>
        principal?.FindFirstValue(PatientAuth.SignedInAtClaim) is { } value
        && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedIn)
        && now - signedIn < AbsoluteLifetime;
}
