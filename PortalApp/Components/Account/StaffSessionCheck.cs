using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Identity;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Security;

namespace PortalApp.Components.Account;

/// <summary>
/// Whether a staff session still stands: on every request and, for open tabs, every 30 seconds. It ends when it was
/// signed out, idle past the clinic's limit, 12 hours old, or when its account changed since sign-in (password,
/// two-factor, lockout, disabled, roles): the person signs in again and gets what the account allows now.
/// </summary>
public sealed class StaffSessionCheck(
    IDbContextFactory<PortalDbContext> dbFactory, UserSessions sessions, ClinicSettingsService clinic, TimeProvider time, IOptions<IdentityOptions> identity)
{
    public const string EndReasonKey = "portal:session-end";

    /// <summary>A signed-in staff member who must set up two-factor before anything else carries this claim, and no roles.</summary>
    public const string TwoFactorSetupClaim = "portal:two_factor_setup";

    /// <returns>null when the session stands; else why it ended (and it is ended on the server too).</returns>
    public async Task<SessionEndReason?> CheckAsync(ClaimsPrincipal principal, bool touch, CancellationToken ct = default)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var session = await sessions.FindAsync(principal.FindFirstValue(UserSessions.Claim), ct);
        if (session is null || session.Kind != SessionKind.Staff || session.UserId != userId)
            return SessionEndReason.SignedOut;
        if (session.EndReason is { } ended)
            return ended;
        if (sessions.Expiry(session, (await clinic.GetAsync(ct)).StaffIdleTimeout) is { } expired)
        {
            await sessions.EndAsync(session.Id, expired, ct);
            return expired;
        }
        if (!await AccountUnchangedAsync(principal, userId!, ct))
        {
            await sessions.EndAsync(session.Id, SessionEndReason.AccountChanged, ct);
            return SessionEndReason.AccountChanged;
        }
        if (touch)
            await sessions.TouchAsync(session, ct: ct);
        return null;
    }

    private async Task<bool> AccountUnchangedAsync(ClaimsPrincipal principal, string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new
            {
                u.SecurityStamp, u.DisabledAtUtc, u.LockoutEnd,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (account is null || account.DisabledAtUtc is not null || account.LockoutEnd > time.GetUtcNow()
            || account.SecurityStamp != principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType))
            return false;
        // The two-factor set-up session carries no roles on purpose; any other must carry exactly the account's roles.
        var claimed = principal.FindAll(identity.Value.ClaimsIdentity.RoleClaimType).Select(c => c.Value).ToHashSet();
        return principal.HasClaim(c => c.Type == TwoFactorSetupClaim) ? claimed.Count == 0 : claimed.SetEquals(account.Roles);
    }

    /// <summary>The staff cookie's check on every request: a session that no longer stands is taken off the browser.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var check = context.HttpContext.RequestServices.GetRequiredService<StaffSessionCheck>();
        if (context.Principal is null || await check.CheckAsync(context.Principal, touch: true, context.HttpContext.RequestAborted) is not { } reason)
            return;
        context.HttpContext.Items[EndReasonKey] = reason;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(SessionCookies.StaffScheme);
    }

    /// <summary>The sign-in page then says why the person is there: the session timed out, or an admin changed the account.</summary>
    public static Task RedirectToSignInAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var target = context.HttpContext.Items.TryGetValue(EndReasonKey, out var reason)
            ? context.RedirectUri + (context.RedirectUri.Contains('?') ? "&" : "?") + "ended=" + SessionEndText.Code((SessionEndReason)reason!)
            : context.RedirectUri;
        context.Response.Redirect(target);
        return Task.CompletedTask;
    }
}
