using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Features.Staff;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Account;

/// <summary>Authenticator-app two-factor for staff, over HTTP as a browser posts it. (Identity's TOTP reads the real clock.)</summary>
public sealed partial class TwoFactorTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task A_staff_member_turns_it_on_with_a_confirming_code_gets_ten_codes_once_and_then_signs_in_with_the_app()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services);
        var browser = await SignInAsync(user);
        var key = Key(await browser.GetStringAsync("/account/two-factor"));

        var wrong = await PortalForms.PostAsync(browser, "/account/two-factor", "two-factor-enable", new() { ["Confirm.Code"] = "000000" });
        Assert.Contains("That code does not match.", await PortalForms.TextAsync(wrong));
        var on = await PortalForms.PostAsync(browser, "/account/two-factor", "two-factor-enable", new() { ["Confirm.Code"] = Code(key) });
        var codes = RecoveryCodes(await PortalForms.TextAsync(on));
        Assert.Equal(10, codes.Count);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/clients")).StatusCode); // the new session carries on
        Assert.Empty(RecoveryCodes(await browser.GetStringAsync("/account/two-factor"))); // shown once

        var next = StaffClient.Anonymous(_factory);
        var password = await StaffClient.PostSignInAsync(next, user.Email!, StaffAccounts.Password);
        Assert.StartsWith("/account/sign-in/two-factor", StaffClient.Location(password));
        Assert.Equal(HttpStatusCode.Redirect, (await next.GetAsync("/clients")).StatusCode);
        var bad = await PortalForms.PostAsync(next, "/account/sign-in/two-factor", "two-factor-code", new() { ["Code.Value"] = "123456" });
        Assert.Contains("That code is not right.", await PortalForms.TextAsync(bad));
        var good = await PortalForms.PostAsync(next, "/account/sign-in/two-factor", "two-factor-code", new() { ["Code.Value"] = Code(key) });
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/clients")).StatusCode);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services);
        var codes = await TurnOnAsync(user);

        var first = StaffClient.Anonymous(_factory);
        await StaffClient.PostSignInAsync(first, user.Email!, StaffAccounts.Password);
        var used = await PortalForms.PostAsync(first, "/account/sign-in/two-factor", "two-factor-recovery", new() { ["Recovery.Value"] = codes[0] });
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);

        var again = StaffClient.Anonymous(_factory);
        await StaffClient.PostSignInAsync(again, user.Email!, StaffAccounts.Password);
        var reused = await PortalForms.PostAsync(again, "/account/sign-in/two-factor", "two-factor-recovery", new() { ["Recovery.Value"] = codes[0] });
        Assert.Contains("That code is not right.", await PortalForms.TextAsync(reused));
    }

    [Fact]
    public async Task Where_the_clinic_requires_it_an_admin_sets_it_up_right_after_the_password_and_can_open_nothing_else_before()
    {
        await ClinicAsync(s => s.RequireTwoFactorFor = TwoFactorRequirement.Admins);
        var admin = await StaffAccounts.CreateAsync(_factory.Services, StaffRoles.Admin);
        var browser = StaffClient.Anonymous(_factory);

        var signedIn = await StaffClient.PostSignInAsync(browser, admin.Email!, StaffAccounts.Password);

        Assert.Equal("/account/two-factor", StaffClient.Location(signedIn));
        foreach (var page in new[] { "/clients", "/admin/audit", "/admin/staff", "/account", "/email-log" })
            Assert.Equal("/account/two-factor", StaffClient.Location(await browser.GetAsync(page)));
        var setup = await PortalForms.TextAsync(await browser.GetAsync("/account/two-factor"));
        Assert.Contains("Your clinic requires two-factor sign-in for your account.", setup);

        await PortalForms.PostAsync(browser, "/account/two-factor", "two-factor-enable", new() { ["Confirm.Code"] = Code(Key(setup)) });

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/audit")).StatusCode);
        var frontDesk = await StaffAccounts.CreateAsync(_factory.Services);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffClient.PostSignInAsync(StaffClient.Anonymous(_factory), frontDesk.Email!, StaffAccounts.Password)).StatusCode);
    }

    [Fact]
    public async Task Remember_this_computer_is_refused_unless_the_clinic_allows_it_and_then_skips_the_code_on_that_browser_only()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services);
        var key = Key(await (await SignInAsync(user)).GetStringAsync("/account/two-factor"));
        await TurnOnAsync(user, key);

        var browser = StaffClient.Anonymous(_factory);
        await SecondFactorAsync(browser, user, key, remember: true);
        Assert.StartsWith("/account/sign-in/two-factor", StaffClient.Location(await StaffClient.PostSignInAsync(browser, user.Email!, StaffAccounts.Password)));

        await ClinicAsync(s => s.RememberTwoFactorComputers = true);
        var remembered = StaffClient.Anonymous(_factory);
        await SecondFactorAsync(remembered, user, key, remember: true);
        Assert.Equal("/clients", StaffClient.Location(await StaffClient.PostSignInAsync(remembered, user.Email!, StaffAccounts.Password)));
        Assert.StartsWith("/account/sign-in/two-factor", StaffClient.Location(await StaffClient.PostSignInAsync(StaffClient.Anonymous(_factory), user.Email!, StaffAccounts.Password)));
    }

    [Fact]
    public async Task An_admin_reset_signs_the_person_out_and_they_set_it_up_again_where_required()
    {
        await ClinicAsync(s => s.RequireTwoFactorFor = TwoFactorRequirement.AllStaff);
        var user = await StaffAccounts.CreateAsync(_factory.Services);
        var browser = StaffClient.Anonymous(_factory);
        await StaffClient.PostSignInAsync(browser, user.Email!, StaffAccounts.Password);
        var setup = await PortalForms.TextAsync(await browser.GetAsync("/account/two-factor"));
        await PortalForms.PostAsync(browser, "/account/two-factor", "two-factor-enable", new() { ["Confirm.Code"] = Code(Key(setup)) });
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/clients")).StatusCode);

        await using (var scope = _factory.Services.CreateAsyncScope())
            Assert.IsType<Outcome.Done>(await scope.ServiceProvider.GetRequiredService<StaffAdminService>().ResetTwoFactorAsync(user.Id, TestSupport.Staff.Admin));

        Assert.EndsWith("ended=changed", StaffClient.Location(await browser.GetAsync("/clients")));
        Assert.Equal("/account/two-factor", StaffClient.Location(await StaffClient.PostSignInAsync(StaffClient.Anonymous(_factory), user.Email!, StaffAccounts.Password)));
        await using var db = await _factory.DbAsync();
        Assert.Single(await db.AuditEvents.Where(a => a.Action == AuditActions.StaffTwoFactorReset).ToListAsync());
    }

    private async Task<HttpClient> SignInAsync(PortalUser user)
    {
        var browser = StaffClient.Anonymous(_factory);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffClient.PostSignInAsync(browser, user.Email!, StaffAccounts.Password)).StatusCode);
        return browser;
    }

    private async Task<IReadOnlyList<string>> TurnOnAsync(PortalUser user, string? key = null)
    {
        var browser = await SignInAsync(user);
        key ??= Key(await browser.GetStringAsync("/account/two-factor"));
        var on = await PortalForms.PostAsync(browser, "/account/two-factor", "two-factor-enable", new() { ["Confirm.Code"] = Code(key) });
        return RecoveryCodes(await PortalForms.TextAsync(on));
    }

    private static async Task SecondFactorAsync(HttpClient browser, PortalUser user, string key, bool remember)
    {
        await StaffClient.PostSignInAsync(browser, user.Email!, StaffAccounts.Password);
        var fields = new Dictionary<string, string> { ["Code.Value"] = Code(key) };
        if (remember)
            fields["Code.Remember"] = "true";
        Assert.Equal(HttpStatusCode.Redirect, (await PortalForms.PostAsync(browser, "/account/sign-in/two-factor", "two-factor-code", fields)).StatusCode);
        await StaffClient.SignOutAsync(browser);
    }

    private async Task ClinicAsync(Action<ClinicSettingsEditModel> change)
    {
        var clinic = _factory.Services.GetRequiredService<ClinicSettingsService>();
        var model = await clinic.GetForEditAsync();
        change(model);
        Assert.IsType<ClinicSettingsSaveResult.Saved>(await clinic.UpdateAsync(model, TestSupport.Staff.Admin));
    }

    private static string Code(string key) => Authenticator.CodeFor(key, DateTimeOffset.UtcNow);

    private static string Key(string html) => KeyText().Match(html).Groups[1].Value;

    private static List<string> RecoveryCodes(string html) => RecoveryCode().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("class=\"authenticator-key\">([a-z0-9 ]+)</code>")]
    private static partial Regex KeyText();

    [GeneratedRegex(@"<li><code>([A-Za-z0-9-]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
