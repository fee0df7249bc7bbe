using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Portal;

/// <summary>
/// Resolves, once per request, the signed-in account and the patient it is looking at. The choice of patient lives in
/// a plain cookie that is only a preference: it is checked against the account's access on every request.
/// </summary>
public sealed class PortalViewer(IDbContextFactory<PortalDbContext> dbFactory, ClinicClock clock)
{
    public const string ViewingCookie = "PortalApp.Viewing";
    private const string AccountKey = "portal:account";

    /// <summary>The account behind the patient cookie, with what it may see today; cached for the rest of the request.</summary>
    public async Task<PortalAccount?> AccountAsync(HttpContext context, ClaimsPrincipal? principal = null)
    {
        if (context.Items.TryGetValue(AccountKey, out var cached))
            return (PortalAccount?)cached;
        principal ??= context.User;
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var account = await PortalAccountQuery.LoadAsync(db, principal.FindFirstValue(ClaimTypes.NameIdentifier),
            principal.FindFirstValue("AspNet.Identity.SecurityStamp") ?? "", await clock.TodayAsync(context.RequestAborted), context.RequestAborted);
        context.Items[AccountKey] = account;
        return account;
    }

    /// <returns>null when the account may see nobody (its access has ended).</returns>
    public async Task<PortalSession?> CurrentAsync(HttpContext context)
    {
        var account = await AccountAsync(context);
        if (account is not { HasAccess: true })
            return null;
        if (!int.TryParse(context.Request.Cookies[ViewingCookie], CultureInfo.InvariantCulture, out var id))
            return new PortalSession(account, account.Patients[0]);
        if (account.Find(id) is { } chosen)
            return new PortalSession(account, chosen);
        // The patient this account was looking at is gone from it: say whose access ended (only someone it really cared
        // for: a hand-made cookie learns no name), once, and look at the first patient it may still see.
        var fallback = account.Patients[0];
        Choose(context, fallback.ClientId);
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        var lost = await db.CaregiverAccesses.AsNoTracking().Where(a => a.PortalUserId == account.UserId && a.PatientClientId == id)
            .Select(a => a.PatientClient.FirstName + " " + a.PatientClient.LastName).FirstOrDefaultAsync(context.RequestAborted);
        return new PortalSession(account, fallback, lost);
    }

    /// <returns>false when the account may not see that patient.</returns>
    public async Task<bool> SwitchAsync(HttpContext context, int clientId)
    {
        if ((await AccountAsync(context))?.Find(clientId) is null)
            return false;
        Choose(context, clientId);
        return true;
    }

    /// <summary>Right after registration: the portal opens on the patient the link was for (checked again on every request).</summary>
    public static void Choose(HttpContext context, int clientId) =>
        context.Response.Cookies.Append(ViewingCookie, clientId.ToString(CultureInfo.InvariantCulture), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/portal", IsEssential = true,
        });
}
