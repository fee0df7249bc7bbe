using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Staff;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Account;

/// <summary>A staff session is the server's to end: sign-out, idle time, 12 hours, and every change to the account.</summary>
public sealed class StaffSessionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalAppFactory _factory;

    public StaffSessionTests() => _factory = new PortalAppFactory().WithClock(_clock);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private async Task<(HttpClient Browser, PortalUser User)> SignedInAsync(string role = StaffRoles.FrontDesk)
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services, role);
        var browser = StaffClient.Anonymous(_factory);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffClient.PostSignInAsync(browser, user.Email!, StaffAccounts.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/clients")).StatusCode);
        return (browser, user);
    }

    private static async Task<string?> SentToSignInAsync(HttpClient browser)
    {
        var response = await browser.GetAsync("/clients");
        return response.StatusCode == HttpStatusCode.Redirect && StaffClient.Location(response)!.Contains("/account/sign-in")
            ? StaffClient.Location(response)!
            : null;
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_opens_nothing()
    {
        var (browser, _) = await SignedInAsync();
        var copy = StaffClient.Anonymous(_factory);
        var staffCookie = await CookieAsync(browser);
        copy.DefaultRequestHeaders.Add("Cookie", staffCookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/clients")).StatusCode);

        await StaffClient.SignOutAsync(browser);

        Assert.NotNull(await SentToSignInAsync(copy));
        Assert.NotNull(await SentToSignInAsync(browser));
    }

    [Fact]
    public async Task A_session_ends_after_the_clinics_idle_time_and_activity_keeps_it_going()
    {
        var (browser, _) = await SignedInAsync();
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/clients")).StatusCode);
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/clients")).StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(31));

        Assert.EndsWith("ended=idle", await SentToSignInAsync(browser));
        var page = await PortalForms.TextAsync(await browser.GetAsync("/account/sign-in?ended=idle"));
        Assert.Contains("You were signed out because the page was left without activity.", page);
    }

    [Fact]
    public async Task A_session_always_ends_12_hours_after_sign_in_however_busy()
    {
        var (browser, _) = await SignedInAsync();
        for (var i = 0; i < 23; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(29));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/clients")).StatusCode);
        }
        _clock.Advance(TimeSpan.FromMinutes(29)); // 24 × 29 min = 11 h 36 min: still in
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/clients")).StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(25));

        Assert.EndsWith("ended=limit", await SentToSignInAsync(browser));
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_open_session_at_the_next_request()
    {
        var (browser, user) = await SignedInAsync();

        Assert.IsType<Outcome.Done>(await Admin().DisableAsync(user.Id, Staff.Admin));

        Assert.EndsWith("ended=changed", await SentToSignInAsync(browser));
        Assert.Contains("The email or password is not right", await PortalForms.TextAsync(
            await StaffClient.PostSignInAsync(StaffClient.Anonymous(_factory), user.Email!, StaffAccounts.Password)));
    }

    [Fact]
    public async Task Changing_roles_ends_the_session_and_the_next_sign_in_carries_the_new_roles()
    {
        var (browser, user) = await SignedInAsync(StaffRoles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/audit")).StatusCode);
        await StaffAccounts.CreateAsync(_factory.Services, StaffRoles.Admin); // not the last admin

        Assert.IsType<Outcome.Done>(await Admin().ChangeRolesAsync(user.Id, [StaffRoles.FrontDesk], Staff.Admin));

        Assert.EndsWith("ended=changed", await SentToSignInAsync(browser));
        var again = StaffClient.Anonymous(_factory);
        await StaffClient.PostSignInAsync(again, user.Email!, StaffAccounts.Password);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/clients")).StatusCode);
        Assert.StartsWith("/account/access-denied", StaffClient.Location(await again.GetAsync("/admin/audit")));
    }

    [Fact]
    public async Task A_lockout_ends_open_sessions_too()
    {
        var (browser, user) = await SignedInAsync();
        var attacker = StaffClient.Anonymous(_factory);
        for (var i = 0; i < 5; i++)
            await StaffClient.PostSignInAsync(attacker, user.Email!, $"guess {i}");

        Assert.EndsWith("ended=changed", await SentToSignInAsync(browser));
    }

    [Fact]
    public async Task Staff_sign_in_ends_a_patient_session_in_the_same_browser_and_the_other_way_round()
    {
        var (_, patientEmail) = await PortalForms.RegisteredPatientAsync(_factory);
        var browser = StaffClient.Anonymous(_factory);
        await PortalForms.PatientSignInAsync(browser, patientEmail, PortalForms.PatientPassword);
        var patientCookie = await CookieAsync(browser);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/portal")).StatusCode);

        var user = await StaffAccounts.CreateAsync(_factory.Services);
        await StaffClient.PostSignInAsync(browser, user.Email!, StaffAccounts.Password);

        var replay = StaffClient.Anonymous(_factory);
        replay.DefaultRequestHeaders.Add("Cookie", patientCookie);
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("/portal")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/clients")).StatusCode);

        var staffCookie = await CookieAsync(browser);
        await PortalForms.PatientSignInAsync(browser, patientEmail, PortalForms.PatientPassword);
        var staffReplay = StaffClient.Anonymous(_factory);
        staffReplay.DefaultRequestHeaders.Add("Cookie", staffCookie);
        Assert.NotNull(await SentToSignInAsync(staffReplay));
        await using var db = await _factory.DbAsync();
        Assert.Equal(2, await db.UserSessions.CountAsync(s => s.EndReason == SessionEndReason.OtherSignIn));
    }

    [Fact]
    public async Task Each_staff_sign_in_is_its_own_session_and_signing_out_of_one_leaves_the_other()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services);
        var first = StaffClient.Anonymous(_factory);
        var second = StaffClient.Anonymous(_factory);
        await StaffClient.PostSignInAsync(first, user.Email!, StaffAccounts.Password);
        await StaffClient.PostSignInAsync(second, user.Email!, StaffAccounts.Password);

        await StaffClient.SignOutAsync(first);

        Assert.NotNull(await SentToSignInAsync(first));
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/clients")).StatusCode);
        await using var db = await _factory.DbAsync();
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.StaffUserId == user.Id && a.Action == AuditActions.SignOut));
    }

    private StaffAdminService Admin() => _factory.Services.CreateScope().ServiceProvider.GetRequiredService<StaffAdminService>();

    /// <summary>The Cookie header this client would send: what an attacker who copied it would replay.</summary>
    private async Task<string> CookieAsync(HttpClient browser)
    {
        var echo = await browser.GetAsync("/account/sign-in");
        return string.Join("; ", echo.RequestMessage!.Headers.TryGetValues("Cookie", out var values) ? values : []);
    }
}
