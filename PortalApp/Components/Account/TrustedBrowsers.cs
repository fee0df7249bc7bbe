using System.Globalization;
using Microsoft.AspNetCore.DataProtection;

namespace PortalApp.Components.Account;

/// <summary>
/// A browser a staff member has signed in from (or unlocked their account from) is trusted for 90 days: the account
/// lockout, which anyone who knows the email can trigger, does not apply to it. So an attacker can lock an admin out of
/// every other browser, but not out of their own (OWASP "device cookies").
/// </summary>
public sealed class TrustedBrowsers(IDataProtectionProvider protection, TimeProvider time, IHostEnvironment environment)
{
    public const string BaseCookieName = "PortalApp.Browser";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly IDataProtector _protector = protection.CreateProtector("PortalApp.TrustedBrowser.v1");
    private readonly string _cookie = Infrastructure.CookieNames.For(BaseCookieName, environment);

    public void Trust(HttpContext context, string userId)
    {
        var now = time.GetUtcNow();
        var value = _protector.Protect($"{userId}|{now.UtcTicks.ToString(CultureInfo.InvariantCulture)}");
        context.Response.Cookies.Append(_cookie, value, new CookieOptions
        {
            HttpOnly = true, Secure = !environment.IsDevelopment() || context.Request.IsHttps, SameSite = SameSiteMode.Strict,
            Path = "/", Expires = now + Lifetime, IsEssential = true,
        });
    }

    public bool IsTrusted(HttpContext context, string userId)
    {
        if (context.Request.Cookies[_cookie] is not { Length: > 0 and < 2048 } value)
            return false;
        try
        {
            var parts = _protector.Unprotect(value).Split('|');
            return parts.Length == 2 && parts[0] == userId
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var ticks)
                && time.GetUtcNow().UtcTicks - ticks < Lifetime.Ticks;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false; // tampered with, or made with a key this installation no longer has
        }
    }
}
