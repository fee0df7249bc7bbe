using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Security;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Account;

/// <summary>Staff sign-in as an attacker tries it: nothing tells accounts apart, nothing grows without bound, nothing locks anyone out for good.</summary>
public sealed class StaffSignInTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private const string Generic = "The email or password is not right, or the account is locked.";

    [Fact]
    public async Task Unknown_patient_wrong_locked_and_disabled_all_get_the_same_answer()
    {
        var locked = await StaffAccounts.CreateAsync(app.Factory.Services);
        var disabled = await StaffAccounts.CreateAsync(app.Factory.Services);
        await using (var db = await app.Factory.DbAsync())
        {
            await db.Users.Where(u => u.Id == locked.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddMinutes(10)));
            await db.Users.Where(u => u.Id == disabled.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisabledAtUtc, DateTime.UtcNow));
        }
        var (_, patientEmail) = await PortalForms.RegisteredPatientAsync(app.Factory);

        string[] emails = [$"nobody.{Guid.NewGuid():N}@clinic.example", patientEmail, locked.Email!, disabled.Email!];
        foreach (var email in emails)
        {
            var response = await StaffClient.PostSignInAsync(StaffClient.Anonymous(app.Factory), email, StaffAccounts.Password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(Generic, await PortalForms.TextAsync(response));
        }
        var patientPassword = await StaffClient.PostSignInAsync(StaffClient.Anonymous(app.Factory), patientEmail, PortalForms.PatientPassword);
        Assert.Contains(Generic, await PortalForms.TextAsync(patientPassword));
    }

    [Fact]
    public async Task Every_kind_of_failure_costs_exactly_one_password_verification_so_timing_tells_nothing()
    {
        var locked = await StaffAccounts.CreateAsync(app.Factory.Services);
        var disabled = await StaffAccounts.CreateAsync(app.Factory.Services);
        var invited = await StaffAccounts.CreateAsync(app.Factory.Services);
        await using (var db = await app.Factory.DbAsync())
        {
            await db.Users.Where(u => u.Id == locked.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddMinutes(10)));
            await db.Users.Where(u => u.Id == disabled.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisabledAtUtc, DateTime.UtcNow));
            await db.Users.Where(u => u.Id == invited.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, (string?)null));
        }
        var hashes = new CountingPasswordHasher();
        await using var counted = app.Factory.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<PortalUser>>(hashes)));

        foreach (var email in new[] { $"nobody.{Guid.NewGuid():N}@clinic.example", locked.Email!, disabled.Email!, invited.Email!, "admin@demo.clinic" })
        {
            var before = hashes.Verifications;
            await StaffClient.PostSignInAsync(counted.CreateClient(new() { AllowAutoRedirect = false }), email, StaffAccounts.Password);
            Assert.Equal(before + 1, hashes.Verifications);
        }
    }

    [Fact]
    public async Task Failures_for_emails_without_a_staff_account_are_counted_not_audited_one_by_one()
    {
        int auditBefore, tallyBefore;
        await using (var db = await app.Factory.DbAsync())
            (auditBefore, tallyBefore) = (await db.AuditEvents.CountAsync(), await db.SignInFailureTallies.SumAsync(t => t.Count));

        for (var i = 0; i < 12; i++)
            await StaffClient.PostSignInAsync(StaffClient.Anonymous(app.Factory), $"spray{i}.{Guid.NewGuid():N}@example.com", "a guess of a password");

        await using var after = await app.Factory.DbAsync();
        Assert.Equal(auditBefore, await after.AuditEvents.CountAsync());
        Assert.Equal(tallyBefore + 12, await after.SignInFailureTallies.Where(t => t.Portal == SessionKind.Staff).SumAsync(t => t.Count));
        Assert.True(await after.SignInFailureTallies.CountAsync() <= 2); // one row an hour (two if the hour turned mid-test)
    }

    [Fact]
    public async Task Wrong_passwords_for_a_staff_account_are_audited_against_it()
    {
        var user = await StaffAccounts.CreateAsync(app.Factory.Services);

        await StaffClient.PostSignInAsync(StaffClient.Anonymous(app.Factory), user.Email!, "not the password at all");

        await using var db = await app.Factory.DbAsync();
        var row = await db.AuditEvents.SingleAsync(a => a.StaffUserId == user.Id);
        Assert.Equal((AuditActions.SignIn, AuditOutcome.Failed, "Wrong password"), (row.Action, row.Outcome, row.Details));
    }

    [Fact]
    public async Task More_than_ten_tries_with_one_email_in_15_minutes_get_a_429_page_saying_when_to_try_again()
    {
        // The throttle counts in fixed 15-minute windows: on the real clock, tries that straddle a window's end would
        // start a fresh count. The app's clock stands in the middle of a window long past instead, so the answer's
        // Retry-After must come from that clock too (it once came from the real one, and near a window's end said "0").
        var midWindow = new DateTimeOffset(2026, 3, 2, 15, 7, 30, TimeSpan.Zero);
        await using var factory = new PortalAppFactory().WithClock(new FakeTimeProvider(midWindow));
        var user = await StaffAccounts.CreateAsync(factory.Services);
        var browser = StaffClient.Anonymous(factory);
        for (var i = 0; i < SignInThrottle.AttemptsPerWindow; i++)
            Assert.Equal(HttpStatusCode.OK, (await StaffClient.PostSignInAsync(browser, user.Email!.ToUpperInvariant(), $"wrong {i}")).StatusCode);

        var throttled = await StaffClient.PostSignInAsync(StaffClient.Anonymous(factory), user.Email!, StaffAccounts.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Matches(@"Too many sign-in attempts with this email\. For your safety, try again after \d{1,2}:\d\d (AM|PM)", await PortalForms.TextAsync(throttled));
        Assert.Equal(TimeSpan.FromSeconds(450), throttled.Headers.RetryAfter!.Delta); // the window ends at 15:15:00
        var other = await StaffAccounts.CreateAsync(factory.Services);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffClient.PostSignInAsync(StaffClient.Anonymous(factory), other.Email!, StaffAccounts.Password)).StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_email_its_owner_an_unlock_link_that_works_once()
    {
        var user = await StaffAccounts.CreateAsync(app.Factory.Services);
        var attacker = StaffClient.Anonymous(app.Factory);
        for (var i = 0; i < 5; i++)
            await StaffClient.PostSignInAsync(attacker, user.Email!, $"guess number {i}");

        var owner = StaffClient.Anonymous(app.Factory);
        Assert.Contains(Generic, await PortalForms.TextAsync(await StaffClient.PostSignInAsync(owner, user.Email!, StaffAccounts.Password)));

        var link = await UnlockLinkAsync(user.Email!);
        var unlocked = await PortalForms.PostAsync(owner, link, "unlock", []);
        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        Assert.Equal("/account/sign-in?done=unlocked", StaffClient.Location(unlocked));
        Assert.Equal(HttpStatusCode.Redirect, (await StaffClient.PostSignInAsync(owner, user.Email!, StaffAccounts.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await StaffClient.Anonymous(app.Factory).GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task An_attacker_cannot_keep_someone_out_of_a_browser_they_signed_in_from_before()
    {
        var user = await StaffAccounts.CreateAsync(app.Factory.Services, StaffRoles.Admin);
        var own = StaffClient.Anonymous(app.Factory);
        Assert.Equal(HttpStatusCode.Redirect, (await StaffClient.PostSignInAsync(own, user.Email!, StaffAccounts.Password)).StatusCode);
        await StaffClient.SignOutAsync(own);

        var attacker = StaffClient.Anonymous(app.Factory);
        for (var i = 0; i < 5; i++)
            await StaffClient.PostSignInAsync(attacker, user.Email!, $"guess number {i}");
        Assert.Contains(Generic, await PortalForms.TextAsync(await StaffClient.PostSignInAsync(StaffClient.Anonymous(app.Factory), user.Email!, StaffAccounts.Password)));

        Assert.Equal(HttpStatusCode.Redirect, (await StaffClient.PostSignInAsync(own, user.Email!, StaffAccounts.Password)).StatusCode);
    }

    [Fact]
    public async Task Ten_wrong_passwords_at_once_lock_the_account_once_and_send_one_email()
    {
        var user = await StaffAccounts.CreateAsync(app.Factory.Services);
        var browsers = Enumerable.Range(0, 10).Select(_ => StaffClient.Anonymous(app.Factory)).ToList();
        var pages = await Task.WhenAll(browsers.Select(b => b.GetStringAsync("/account/sign-in")));
        var start = new TaskCompletionSource();
        var posts = browsers.Select((b, i) => Task.Run(async () =>
        {
            await start.Task;
            return await b.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = PortalForms.Antiforgery(pages[i]), ["_handler"] = "staff-sign-in",
                ["Input.Email"] = user.Email!, ["Input.Password"] = $"parallel guess {i}",
            }));
        })).ToList();
        start.SetResult();
        await Task.WhenAll(posts);

        await using var db = await app.Factory.DbAsync();
        Assert.Equal(10, await db.AuditEvents.CountAsync(a => a.StaffUserId == user.Id && a.Action == AuditActions.SignIn));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.StaffUserId == user.Id && a.Action == AuditActions.AccountLocked));
        Assert.Equal(1, await db.OutboxEmails.CountAsync(e => e.ToAddress == user.Email && e.Kind == "staff-unlock"));
        Assert.True((await db.Users.SingleAsync(u => u.Id == user.Id)).LockoutEnd > DateTimeOffset.UtcNow);
    }

    private async Task<string> UnlockLinkAsync(string email)
    {
        var text = await DeliveredMail.PickupTextAsync(app.Factory, email, "staff-unlock");
        return new Uri(System.Text.RegularExpressions.Regex.Match(text, @"https?://\S+/account/unlock/[A-Za-z0-9_-]{43}").Value).PathAndQuery;
    }
}
