using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

public sealed class SecurityHeadersTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
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
}
