using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Portal;

public sealed record PatientSessionState(bool Active, bool Ended);

/// <summary>
/// Answers an open page's "am I still signed in?" without touching the cookie: going through the cookie handler would
/// slide its expiry, and a page left open would then never time out.
/// </summary>
public sealed class PatientSessionProbe(IOptionsMonitor<CookieAuthenticationOptions> cookies, ClinicClock clock)
{
    public async Task<PatientSessionState> CheckAsync(HttpContext context)
    {
        var options = cookies.Get(PatientAuth.Scheme);
        var value = options.CookieManager.GetRequestCookie(context, options.Cookie.Name!);
        var ticket = value is null ? null : options.TicketDataFormat.Unprotect(value);
        if (ticket is null || ticket.Properties.ExpiresUtc is not { } expires || expires <= clock.UtcNow
            || !PatientSessionValidator.StillValid(ticket.Principal, clock.UtcNow))
            return new PatientSessionState(false, false);
        var active = await PatientSessionValidator.ClientIsActiveAsync(ticket.Principal, context.RequestServices, clock);
        return new PatientSessionState(active, !active);
    }
}
