using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Portal;

/// <summary>
/// Runs on every patient request: a session ends 12 hours after sign-in whatever the activity, and at once when the
/// client card is end-dated (the client's access has ended) or the account's security stamp changed.
/// </summary>
public static class PatientSessionValidator
{
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);
    public const string AccessEndedKey = "portal:access-ended";

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var clock = services.GetRequiredService<ClinicClock>();
        var expired = !StillValid(context.Principal, clock.UtcNow);
        var ended = !expired && !await ClientIsActiveAsync(context.Principal!, services, clock);
        if (expired || ended)
        {
            if (ended)
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

    internal static async Task<bool> ClientIsActiveAsync(ClaimsPrincipal principal, IServiceProvider services, ClinicClock clock)
    {
        if (!int.TryParse(principal.FindFirstValue(PatientAuth.ClientIdClaim), CultureInfo.InvariantCulture, out var clientId))
            return false;
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = principal.FindFirstValue("AspNet.Identity.SecurityStamp");
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.ClientId == clientId)
            .Select(u => new { u.SecurityStamp, EndDate = db.Clients.Where(c => c.Id == clientId).Select(c => c.EndDate).FirstOrDefault() })
            .SingleOrDefaultAsync();
        var today = await clock.TodayAsync();
        return account is not null && account.SecurityStamp == stamp && !(account.EndDate is { } end && end <= today);
    }
}
