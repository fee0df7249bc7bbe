using System.Net;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

public sealed class SignInLockoutTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_even_the_right_one_is_refused()
    {
        var client = StaffClient.Anonymous(app.Factory);
        for (var i = 0; i < 5; i++)
            await StaffClient.PostSignInAsync(client, "practitioner@demo.clinic", $"wrong-password-{i}");

        var response = await StaffClient.PostSignInAsync(client, "practitioner@demo.clinic", DemoSeeder.DemoPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right, or the account is locked", await response.Content.ReadAsStringAsync());
        await using var db = await app.Factory.DbAsync();
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.SignIn && a.Outcome == AuditOutcome.Refused));
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_message_as_a_wrong_password()
    {
        var unknown = await StaffClient.PostSignInAsync(StaffClient.Anonymous(app.Factory), "nobody@demo.clinic", "whatever-password");
        var wrong = await StaffClient.PostSignInAsync(StaffClient.Anonymous(app.Factory), "admin@demo.clinic", "whatever-password");

        Assert.Contains("The email or password is not right", await unknown.Content.ReadAsStringAsync());
        Assert.Contains("The email or password is not right", await wrong.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signing_out_needs_the_antiforgery_token()
    {
        var client = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");

        var forged = await client.PostAsync("/account/sign-out", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/clients")).StatusCode);
    }
}
