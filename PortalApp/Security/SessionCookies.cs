using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using PortalApp.Data;

namespace PortalApp.Security;

/// <summary>
/// Ties each sign-in cookie to a server-side session (UserSessions): one is started when the cookie is issued, and
/// ended when it is taken off. One person per browser: signing in as staff ends a patient session in the same browser,
/// and the other way round.
/// </summary>
public static class SessionCookies
{
    public const string StaffScheme = "Identity.Application"; // IdentityConstants.ApplicationScheme
    public const string PatientScheme = "PortalApp.Patient";

    private static readonly (string Scheme, SessionKind Kind)[] Schemes = [(StaffScheme, SessionKind.Staff), (PatientScheme, SessionKind.Patient)];

    public static SessionKind KindOf(string scheme) => Schemes.Single(s => s.Scheme == scheme).Kind;

    public static async Task OnSigningInAsync(CookieSigningInContext context)
    {
        var http = context.HttpContext;
        var sessions = http.RequestServices.GetRequiredService<UserSessions>();
        var kind = KindOf(context.Scheme.Name);
        foreach (var (scheme, otherKind) in Schemes)
        {
            if (ReadToken(http, scheme) is not { } old)
                continue;
            await sessions.EndAsync(old, otherKind == kind ? SessionEndReason.Replaced : SessionEndReason.OtherSignIn);
            if (otherKind != kind)
                DeleteCookie(http, scheme);
        }
        var identity = (ClaimsIdentity)context.Principal!.Identity!;
        foreach (var stale in identity.FindAll(UserSessions.Claim).ToList())
            identity.RemoveClaim(stale);
        var userId = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? throw new InvalidOperationException("A sign-in without a user id.");
        identity.AddClaim(new Claim(UserSessions.Claim, await sessions.StartAsync(userId, kind)));
    }

    public static async Task OnSigningOutAsync(CookieSigningOutContext context)
    {
        if (ReadToken(context.HttpContext, context.Scheme.Name) is { } token)
            await context.HttpContext.RequestServices.GetRequiredService<UserSessions>().EndAsync(token, SessionEndReason.SignedOut);
    }

    /// <summary>The session token in this request's cookie of <paramref name="scheme"/>, read without running (or sliding) the cookie.</summary>
    public static string? ReadToken(HttpContext context, string scheme) => ReadPrincipal(context, scheme)?.FindFirst(UserSessions.Claim)?.Value;

    public static ClaimsPrincipal? ReadPrincipal(HttpContext context, string scheme)
    {
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme);
        var value = options.CookieManager.GetRequestCookie(context, options.Cookie.Name!);
        return value is null ? null : options.TicketDataFormat.Unprotect(value)?.Principal;
    }

    private static void DeleteCookie(HttpContext context, string scheme)
    {
        var options = context.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme);
        options.CookieManager.DeleteCookie(context, options.Cookie.Name!, options.Cookie.Build(context));
    }
}
