using PortalApp.Features.Audit;
using System.Net;
using System.Text.RegularExpressions;
using PortalApp.Auditing;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

public sealed partial class SecurityHeadersTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Theory]
    [InlineData("/account/sign-in")]
    [InlineData("/clients")]
    public async Task Every_page_carries_a_strict_content_security_policy(string path)
    {
        var response = await StaffClient.Anonymous(app.Factory).GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Contains("base-uri 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Pages_contain_no_inline_script_the_policy_would_block()
    {
        var html = await StaffClient.Anonymous(app.Factory).GetStringAsync("/account/sign-in");

        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
    }

    /// <summary>base-uri 'none' makes a browser ignore any &lt;base&gt;: every address on a page must start at the root.</summary>
    [Fact]
    public async Task Pages_have_no_base_element_and_only_root_relative_addresses()
    {
        var staff = await StaffClient.SignedInAsync(app.Factory);
        string[] pages = [await staff.GetStringAsync("/clients/1"), await StaffClient.Anonymous(app.Factory).GetStringAsync("/portal/sign-in")];

        Assert.All(pages, html => Assert.DoesNotContain("<base", html));
        var relative = pages.SelectMany(html => Address().Matches(html)).Select(m => m.Groups[1].Value)
            .Where(a => !a.StartsWith('/') && !a.StartsWith('#') && !a.StartsWith("http") && !a.StartsWith("data:"));
        Assert.Empty(relative);
    }

    [Theory]
    [InlineData("GET", "/clients/5/_blazor/initializers", "/_blazor/initializers")]
    [InlineData("POST", "/appointments/5/chart/_blazor/disconnect", "/_blazor/disconnect")]
    public async Task Blazor_addresses_taken_relative_to_a_page_are_sent_to_the_real_ones(string method, string path, string real)
    {
        var response = await StaffClient.Anonymous(app.Factory).SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode); // keeps the method and body
        Assert.Equal(real, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Pages_and_endpoints_say_no_store_but_static_files_may_be_cached()
    {
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");
        var anonymous = StaffClient.Anonymous(app.Factory);
        var clientCard = await admin.GetAsync("/clients/1");
        var responses = new[]
        {
            clientCard, await admin.GetAsync("/appointments/1/chart"), await admin.GetAsync("/admin/audit"),
            await admin.GetAsync(AuditSearch.ExportPath), await anonymous.GetAsync("/account/sign-in"), await anonymous.GetAsync("/portal/sign-in"),
            await anonymous.GetAsync("/healthz"), await anonymous.GetAsync("/clients/1"), await anonymous.GetAsync("/no-such-page"),
        };

        Assert.All(responses, r => Assert.True(r.Headers.CacheControl?.NoStore == true, $"{r.RequestMessage!.RequestUri}: {r.Headers.CacheControl}"));
        var stylesheet = Stylesheet().Match(await clientCard.Content.ReadAsStringAsync()).Groups[1].Value;
        var css = await anonymous.GetAsync(stylesheet);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.False(css.Headers.CacheControl?.NoStore ?? false);
    }

    [Fact]
    public async Task In_development_cookie_names_stay_plain_and_no_hsts_is_sent()
    {
        var browser = app.Factory.CreateClient(new() { BaseAddress = new Uri("https://portal.clinic.example"), AllowAutoRedirect = false });
        var signInPage = await browser.GetAsync("/account/sign-in");
        var signedIn = await StaffClient.PostSignInAsync(browser, "frontdesk@demo.clinic", PortalApp.Infrastructure.DemoSeeder.DemoPassword);

        Assert.StartsWith(".AspNetCore.Antiforgery.", Cookies(signInPage).Single());
        Assert.Contains("PortalApp.Staff", Cookies(signedIn));
        Assert.False(signInPage.Headers.Contains("Strict-Transport-Security"));
    }

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Select(c => c[..c.IndexOf('=')]) : [];

    [GeneratedRegex("""\b(?:href|src|action)="([^"]*)""")]
    private static partial Regex Address();

    [GeneratedRegex("""<link rel="stylesheet" href="([^"]+app[^"]*\.css)""")]
    private static partial Regex Stylesheet();
}
