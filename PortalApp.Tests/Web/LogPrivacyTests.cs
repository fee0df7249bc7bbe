using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

public sealed class LogPrivacyTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task Request_logs_hold_neither_query_strings_nor_emails_nor_passwords()
    {
        var client = StaffClient.Anonymous(app.Factory);
        await client.GetAsync("/account/sign-in?token=SECRET-TOKEN-4711");
        await StaffClient.PostSignInAsync(client, "someone.private@example.com", "Pa55word-that-is-secret");
        await StaffClient.PostSignInAsync(client, "admin@demo.clinic", "another-secret-password");

        var logs = app.Factory.ReadLogs();

        Assert.Contains("HTTP POST /account/sign-in responded 200", logs);
        Assert.DoesNotContain("SECRET-TOKEN-4711", logs);
        Assert.DoesNotContain("someone.private", logs);
        Assert.DoesNotContain("admin@demo.clinic", logs);
        Assert.DoesNotContain("secret-password", logs);
        Assert.DoesNotContain("Pa55word", logs);
    }
}
