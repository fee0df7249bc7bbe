using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Clinic;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

/// <summary>A clinic admin runs their own staff: invites someone, who sets a password and the two-factor the clinic requires.</summary>
public sealed partial class StaffAccountJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_invites_a_new_admin_who_sets_a_password_and_two_factor_then_signs_in_with_the_app()
    {
        var (admin, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "/admin/staff", "admin@demo.clinic");
        await RequireTwoFactorForAdminsAsync(); // from now on, at each admin's next sign-in
        await Assertions.Expect(admin).ToHaveTitleAsync("Staff");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Invite staff member" }).ClickAsync();
        await admin.GetByLabel("Full name").FillAsync("Nia Newcomer");
        await admin.GetByLabel("Work email").FillAsync("nia@demo.clinic");
        await admin.GetByLabel("Admin: staff accounts, clinic settings, templates, audit log").CheckAsync();
        await admin.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("staff-invite"), FullPage = true });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Send invite" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Invite sent to Nia Newcomer.")).ToBeVisibleAsync();
        var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "nia@demo.clinic" });
        await Assertions.Expect(row).ToContainTextAsync("Invited");
        await admin.ReloadAsync(); // the page as an admin finds it, without the snackbar fading in
        await BrowserFixture.WaitForLivePageAsync(admin);
        await admin.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("staff-page"), FullPage = true });
        await Axe.AssertAccessibleAsync(admin, "Staff page");

        var (nia, niaErrors) = await browser.NewPageAsync();
        await nia.GotoAsync(await InviteLinkAsync("nia@demo.clinic"));
        await Assertions.Expect(nia.GetByRole(AriaRole.Heading, new() { Name = "Welcome" })).ToBeVisibleAsync();
        await Assertions.Expect(nia.GetByText("n•••@demo.clinic")).ToBeVisibleAsync();
        await nia.GetByLabel("New password").FillAsync("harbour violet tractor sonnet");
        await nia.GetByLabel("Type it again").FillAsync("harbour violet tractor sonnet");
        await nia.GetByRole(AriaRole.Button, new() { Name = "Save password" }).ClickAsync();
        await Assertions.Expect(nia.GetByText("Your password is set. Sign in with it now.")).ToBeVisibleAsync();

        await nia.GetByLabel("Email").FillAsync("nia@demo.clinic");
        await nia.GetByLabel("Password").FillAsync("harbour violet tractor sonnet");
        await nia.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(nia.GetByText("Your clinic requires two-factor sign-in for your account.")).ToBeVisibleAsync();
        await nia.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("two-factor-setup"), FullPage = true });
        await Axe.AssertAccessibleAsync(nia, "Two-factor set-up");
        await nia.GotoAsync("/clients"); // nothing else opens before set-up
        await Assertions.Expect(nia).ToHaveURLAsync(new Regex("/account/two-factor$"));

        var key = await nia.Locator(".authenticator-key").InnerTextAsync();
        await nia.GetByLabel("Code from the app").FillAsync(Authenticator.CodeFor(key, DateTimeOffset.UtcNow));
        await nia.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor" }).ClickAsync();
        await Assertions.Expect(nia.GetByRole(AriaRole.List, new() { Name = "Recovery codes" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(10);
        await nia.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("two-factor-recovery-codes"), FullPage = true });
        await nia.GetByRole(AriaRole.Link, new() { Name = "I have saved them: continue" }).ClickAsync();
        await BrowserFixture.WaitForInteractiveAsync(nia);
        await Assertions.Expect(nia.GetByTestId("signed-in-user")).ToContainTextAsync("Nia Newcomer");

        await nia.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await nia.GetByLabel("Email").FillAsync("nia@demo.clinic");
        await nia.GetByLabel("Password").FillAsync("harbour violet tractor sonnet");
        await nia.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(nia.GetByRole(AriaRole.Heading, new() { Name = "Confirm it's you" })).ToBeVisibleAsync();
        await nia.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("two-factor-sign-in"), FullPage = true });
        await nia.GetByLabel("Authentication code").FillAsync(Authenticator.CodeFor(key, DateTimeOffset.UtcNow));
        await nia.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserFixture.WaitForInteractiveAsync(nia);
        await Assertions.Expect(nia).ToHaveURLAsync(new Regex("/clients$"));

        await nia.GetByRole(AriaRole.Link, new() { Name = "Your account" }).ClickAsync();
        await Assertions.Expect(nia.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeVisibleAsync();
        await Assertions.Expect(nia.GetByText("On: you confirm each sign-in with your authenticator app. 10 recovery codes left.")).ToBeVisibleAsync();
        await nia.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("staff-account"), FullPage = true });
        await Axe.AssertAccessibleAsync(nia, "Your account");

        Assert.Empty(errors);
        Assert.Empty(niaErrors);
    }

    [Fact]
    public async Task Signing_out_in_one_tab_closes_the_other_tabs_of_that_session()
    {
        var (first, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(first, "/clients", "frontdesk@demo.clinic");
        var second = await first.Context.NewPageAsync();
        await second.GotoAsync("/clients");
        await BrowserFixture.WaitForInteractiveAsync(second);

        await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(first.GetByText("You have signed out.")).ToBeVisibleAsync();

        await Assertions.Expect(second).ToHaveURLAsync(new Regex("/account/sign-in"), new() { Timeout = 60_000 });
        await Assertions.Expect(second.GetByText("Your session ended. Sign in again to go on.")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }

    private async Task RequireTwoFactorForAdminsAsync()
    {
        var clinic = browser.Server.Services.GetRequiredService<ClinicSettingsService>();
        var model = await clinic.GetForEditAsync();
        model.RequireTwoFactorFor = TwoFactorRequirement.Admins;
        Assert.IsType<ClinicSettingsSaveResult.Saved>(await clinic.UpdateAsync(model, TestSupport.Staff.Admin));
    }

    private async Task<string> InviteLinkAsync(string email)
    {
        var text = await DeliveredMail.PickupTextAsync(browser.Server, email, "staff-invite");
        return new Uri(InviteLink().Match(text).Value).PathAndQuery;
    }

    [GeneratedRegex(@"https?://\S+/account/set-password/[A-Za-z0-9_-]{43}")]
    private static partial Regex InviteLink();
}
