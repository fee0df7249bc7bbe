using System.Globalization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Portal;

/// <param name="Active">The session still stands.</param>
/// <param name="Ended">It does not, because the account's access ended (not a sign-out or a timeout).</param>
/// <param name="PatientLost">It stands, but no longer for the patient the page shows (a caregiver's access to them ended).</param>
public sealed record PatientSessionState(bool Active, bool Ended, bool PatientLost = false);

/// <summary>
/// Answers an open page's "am I still signed in?" without touching the cookie: going through the cookie handler would
/// slide its expiry, and a page left open would then never time out.
/// </summary>
public sealed class PatientSessionProbe(IOptionsMonitor<CookieAuthenticationOptions> cookies, ClinicClock clock)
{
    public const string Path = "/portal/session";

    public async Task<PatientSessionState> CheckAsync(HttpContext context, string? viewing = null)
    {
        var options = cookies.Get(PatientAuth.Scheme);
        var value = options.CookieManager.GetRequestCookie(context, options.Cookie.Name!);
        var ticket = value is null ? null : options.TicketDataFormat.Unprotect(value);
        if (ticket is null || ticket.Properties.ExpiresUtc is not { } expires || expires <= clock.UtcNow
            || await PatientSessionValidator.StandingSessionAsync(context, ticket.Principal) is null)
            return new PatientSessionState(false, false);
        var account = await context.RequestServices.GetRequiredService<PortalViewer>().AccountAsync(context, ticket.Principal);
        if (account is not { HasAccess: true })
            return new PatientSessionState(false, account is not null);
        var lost = int.TryParse(viewing, CultureInfo.InvariantCulture, out var clientId) && account.Find(clientId) is null;
        return new PatientSessionState(true, false, lost);
    }
}
