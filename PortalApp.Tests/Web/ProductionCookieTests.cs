using System.Net;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>
/// A Production installation behind its TLS proxy: HSTS for the host and its subdomains, and every cookie that signs
/// someone in or guards a form is __Host- prefixed, Secure, Path=/ and without Domain (a browser refuses the prefix
/// otherwise, so no subdomain and no plain-HTTP page can plant or replace it).
/// </summary>
public sealed class ProductionCookieTests : IAsyncLifetime
{
    private ProductionAppFactory _app = null!;

    public async ValueTask InitializeAsync() => _app = await ProductionAppFactory.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string SetCookie(HttpResponseMessage response, string name)
    {
        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var cookies), $"No cookie set by {response.RequestMessage!.RequestUri}");
        return Assert.Single(cookies, c => c.StartsWith(name + "=", StringComparison.Ordinal));
    }

    private static void AssertHostCookie(string cookie)
    {
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Contains("httponly", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain"));
    }

    [Fact]
    public async Task Staff_sign_in_sets_host_prefixed_secure_cookies_and_hsts_covers_subdomains()
    {
        var browser = _app.Https();

        var page = await browser.GetAsync("/account/sign-in");
        var signedIn = await StaffClient.PostSignInAsync(browser, ProductionAppFactory.AdminEmail, ProductionAppFactory.AdminPassword);

        Assert.Equal("max-age=31536000; includeSubDomains", page.Headers.GetValues("Strict-Transport-Security").Single());
        AssertHostCookie(SetCookie(page, "__Host-PortalApp.Antiforgery"));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        AssertHostCookie(SetCookie(signedIn, "__Host-PortalApp.Staff"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/clients")).StatusCode); // the browser sends it back
    }

    [Fact]
    public async Task Patient_sign_in_sets_a_host_prefixed_secure_cookie()
    {
        var email = await _app.AddPatientAsync();
        var browser = _app.Https();

        var signedIn = await PortalForms.PatientSignInAsync(browser, email, PortalForms.PatientPassword);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        AssertHostCookie(SetCookie(signedIn, "__Host-PortalApp.Patient"));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/portal")).StatusCode);
    }
}
