using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortalApp.Data;
using PortalApp.Features.Staff;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Account;

/// <summary>The emailed staff links (invite, password reset) and the password a staff member changes themself.</summary>
public sealed partial class StaffLinkTests : IAsyncLifetime
{
    private const string NewPassword = "lichen trumpet glacier marble";
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalAppFactory _factory;

    public StaffLinkTests() => _factory = new PortalAppFactory().WithClock(_clock);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private async Task<string> InviteAsync(string email)
    {
        await using (var scope = _factory.Services.CreateAsyncScope())
            Assert.IsType<StaffInviteResult.Invited>(await scope.ServiceProvider.GetRequiredService<StaffAdminService>()
                .InviteAsync(new StaffInviteForm { Name = "Nia Newcomer", Email = email, Roles = [StaffRoles.FrontDesk] }, TestSupport.Staff.Admin));
        var text = await DeliveredMail.PickupTextAsync(_factory, email, "staff-invite");
        return new Uri(Link().Match(text).Value).PathAndQuery;
    }

    private static Task<HttpResponseMessage> SetAsync(HttpClient browser, string link, string password, string? confirm = null) =>
        PortalForms.PostAsync(browser, link, "set-password", new() { ["Input.Password"] = password, ["Input.Confirm"] = confirm ?? password });

    [Fact]
    public async Task The_invite_link_sets_a_first_password_once_and_the_person_signs_in_with_it()
    {
        var link = await InviteAsync("nia@clinic.example");
        var page = await PortalForms.TextAsync(await StaffClient.Anonymous(_factory).GetAsync(link));
        Assert.Contains("Nia Newcomer, staff account", page);
        Assert.Contains("n•••@clinic.example", page);
        Assert.DoesNotContain("nia@clinic.example", page);

        var set = await SetAsync(StaffClient.Anonymous(_factory), link, NewPassword);

        Assert.Equal("/account/sign-in?done=password", StaffClient.Location(set));
        Assert.Equal(HttpStatusCode.Redirect, (await StaffClient.PostSignInAsync(StaffClient.Anonymous(_factory), "nia@clinic.example", NewPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await StaffClient.Anonymous(_factory).GetAsync(link)).StatusCode);
        Assert.Contains("This link no longer works", await PortalForms.TextAsync(await StaffClient.Anonymous(_factory).GetAsync(link)));
        Assert.NotEqual(HttpStatusCode.Redirect, (await SetAsync(StaffClient.Anonymous(_factory), link, "another long passphrase here")).StatusCode);
    }

    [Fact]
    public async Task A_weak_or_mistyped_password_is_refused_with_what_to_fix_and_never_sent_back_in_the_page()
    {
        var link = await InviteAsync("weak@clinic.example");

        var weak = await PortalForms.TextAsync(await SetAsync(StaffClient.Anonymous(_factory), link, "nianewcomer1"));
        var typo = await PortalForms.TextAsync(await SetAsync(StaffClient.Anonymous(_factory), link, NewPassword, NewPassword + "x"));

        Assert.Contains("This password is too easy to guess", weak);
        Assert.DoesNotContain("nianewcomer1", weak);
        Assert.Contains("The two passwords are not the same.", typo);
        Assert.DoesNotContain(NewPassword, typo);
        Assert.Equal(HttpStatusCode.OK, (await StaffClient.Anonymous(_factory).GetAsync(link)).StatusCode); // still usable
    }

    [Fact]
    public async Task An_invite_link_stops_working_after_72_hours()
    {
        var link = await InviteAsync("late@clinic.example");

        _clock.Advance(TimeSpan.FromHours(72) + TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Gone, (await StaffClient.Anonymous(_factory).GetAsync(link)).StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, (await SetAsync(StaffClient.Anonymous(_factory), link, NewPassword)).StatusCode);
        await using var db = await _factory.DbAsync();
        Assert.Null((await db.Users.SingleAsync(u => u.Email == "late@clinic.example")).PasswordHash);
    }

    [Fact]
    public async Task Changing_ones_own_password_keeps_this_browser_in_and_ends_every_other_session()
    {
        var user = await StaffAccounts.CreateAsync(_factory.Services);
        var here = StaffClient.Anonymous(_factory);
        var elsewhere = StaffClient.Anonymous(_factory);
        await StaffClient.PostSignInAsync(here, user.Email!, StaffAccounts.Password);
        await StaffClient.PostSignInAsync(elsewhere, user.Email!, StaffAccounts.Password);

        var wrong = await PortalForms.PostAsync(here, "/account", "staff-change-password",
            new() { ["Input.Current"] = "not my password at all", ["Input.Password"] = NewPassword, ["Input.Confirm"] = NewPassword });
        Assert.Contains("Your current password is not right.", await PortalForms.TextAsync(wrong));
        var changed = await PortalForms.PostAsync(here, "/account", "staff-change-password",
            new() { ["Input.Current"] = StaffAccounts.Password, ["Input.Password"] = NewPassword, ["Input.Confirm"] = NewPassword });

        Assert.Equal("/account?done=password", StaffClient.Location(changed));
        Assert.Contains("Your password is changed.", await PortalForms.TextAsync(await here.GetAsync("/account?done=password")));
        Assert.EndsWith("ended=changed", StaffClient.Location(await elsewhere.GetAsync("/clients")));
        await using var db = await _factory.DbAsync();
        Assert.Equal(1, await db.UserSessions.CountAsync(s => s.UserId == user.Id && s.EndedAtUtc == null));
    }

    [GeneratedRegex(@"https?://\S+/account/set-password/[A-Za-z0-9_-]{43}")]
    private static partial Regex Link();
}
