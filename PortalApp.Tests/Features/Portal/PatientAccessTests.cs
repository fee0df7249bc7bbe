using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Features.Messaging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.AspNetCore.TestHost;
using PortalApp.Features.Portal;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Portal;

/// <summary>Patients sign in and out; sessions end by time and by end-dating; patients and staff stay on their own side.</summary>
public sealed class PatientAccessTests : IAsyncLifetime
{
    private const string Password = PortalForms.PatientPassword;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private PortalAppFactory _factory = null!;

    public ValueTask InitializeAsync()
    {
        _factory = new PortalAppFactory().WithClock(_clock);
        _factory.CreateClient().Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private Task<(int ClientId, string Email)> RegisteredPatientAsync() => PortalForms.RegisteredPatientAsync(_factory);

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string email, string password) =>
        PortalForms.PatientSignInAsync(browser, email, password);

    private async Task<HttpClient> SignedInPatientAsync(string email)
    {
        var browser = StaffClient.Anonymous(_factory);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, email, Password)).StatusCode);
        return browser;
    }

    private static Task<string> TextAsync(HttpResponseMessage response) => PortalForms.TextAsync(response);

    [Fact]
    public async Task A_patient_signs_in_with_email_and_password_and_sees_the_portal()
    {
        var (_, email) = await RegisteredPatientAsync();
        var browser = await SignedInPatientAsync(email);

        var home = await browser.GetAsync("/portal");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Hello Nora", await TextAsync(home));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_opens_nothing()
    {
        var (_, email) = await RegisteredPatientAsync();
        var browser = await SignedInPatientAsync(email);
        var cookie = (await browser.GetAsync("/portal")).RequestMessage!.Headers.GetValues("Cookie").Single();
        var copy = StaffClient.Anonymous(_factory);
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/portal")).StatusCode);

        var token = PortalForms.Antiforgery(await browser.GetStringAsync("/portal"));
        await browser.PostAsync("/portal/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/portal")).StatusCode);
        await using var db = await _factory.DbAsync();
        Assert.Equal(1, await db.UserSessions.CountAsync(s => s.Kind == SessionKind.Patient && s.EndReason == SessionEndReason.SignedOut));
    }

    [Fact]
    public async Task Locked_unknown_and_wrong_each_cost_one_password_verification_and_unknown_emails_are_only_counted()
    {
        var (clientId, email) = await RegisteredPatientAsync();
        for (var i = 0; i < 5; i++)
            await SignInAsync(StaffClient.Anonymous(_factory), email, $"wrong guess {i}");
        var hashes = new CountingPasswordHasher();
        await using var counted = _factory.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<PortalUser>>(hashes)));
        var client = counted.CreateClient(new() { AllowAutoRedirect = false });

        foreach (var who in new[] { email, $"unknown.{Guid.NewGuid():N}@example.com" })
        {
            var before = hashes.Verifications;
            var answer = await TextAsync(await SignInAsync(client, who, Password));
            Assert.Contains("The email or password is not right.", answer);
            Assert.Equal(before + 1, hashes.Verifications); // locked (even with the right password) or unknown: the same work
        }
        await using var db = await _factory.DbAsync();
        Assert.Equal(1, await db.SignInFailureTallies.Where(t => t.Portal == SessionKind.Patient).SumAsync(t => t.Count));
        Assert.Equal(6, await db.AuditEvents.CountAsync(a => a.ClientId == clientId && a.Action == PortalApp.Auditing.AuditActions.PatientSignIn));
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_answer()
    {
        var (_, email) = await RegisteredPatientAsync();

        var wrong = await TextAsync(await SignInAsync(StaffClient.Anonymous(_factory), email, "not the password at all"));
        var unknown = await TextAsync(await SignInAsync(StaffClient.Anonymous(_factory), "nobody@example.com", "not the password at all"));

        Assert.Contains("The email or password is not right.", wrong);
        Assert.Contains("The email or password is not right.", unknown);
    }

    [Fact]
    public async Task An_end_dated_patient_cannot_sign_in_and_one_signed_in_loses_access_on_the_next_request()
    {
        var (clientId, email) = await RegisteredPatientAsync();
        var browser = await SignedInPatientAsync(email);
        await using (var db = await _factory.DbAsync())
            await db.Clients.Where(c => c.Id == clientId).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1))));

        var next = await browser.GetAsync("/portal");
        var again = await TextAsync(await SignInAsync(StaffClient.Anonymous(_factory), email, Password));

        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/portal/sign-in", next.Headers.Location!.PathAndQuery);
        Assert.EndsWith("reason=ended", next.Headers.Location!.Query);
        Assert.Contains("Your portal access has ended. Contact Maple Grove Family Health.", again);
        await using var check = await _factory.DbAsync();
        Assert.True(await check.AuditEvents.AnyAsync(a => a.ClientId == clientId && a.Action == "patient.sign-in" && a.Outcome == AuditOutcome.Refused));
    }

    [Fact]
    public async Task Removing_the_end_date_restores_the_same_account_and_its_history()
    {
        var (clientId, email) = await RegisteredPatientAsync();
        using (var scope = _factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<StaffMessagingService>().StartAsync(clientId, "Kept", "Still here later", true, Staff.FrontDesk);
        await using (var db = await _factory.DbAsync())
            await db.Clients.Where(c => c.Id == clientId).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1))));
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(StaffClient.Anonymous(_factory), email, Password)).StatusCode);

        await using (var db = await _factory.DbAsync())
            await db.Clients.Where(c => c.Id == clientId).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, (DateOnly?)null));
        var browser = await SignedInPatientAsync(email);

        Assert.Contains("Kept", await TextAsync(await browser.GetAsync("/portal/messages")));
    }

    [Fact]
    public async Task A_session_ends_twelve_hours_after_sign_in_even_when_active()
    {
        var (_, email) = await RegisteredPatientAsync();
        var browser = await SignedInPatientAsync(email);
        // Active every 25 minutes (inside the 30-minute idle limit) for 11 h 40 min: still signed in.
        for (var i = 0; i < 28; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(25));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/portal")).StatusCode);
        }

        _clock.Advance(TimeSpan.FromMinutes(25));

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/portal")).StatusCode);
    }

    [Fact]
    public async Task A_session_ends_after_thirty_idle_minutes()
    {
        var (_, email) = await RegisteredPatientAsync();
        var browser = await SignedInPatientAsync(email);

        _clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/portal")).StatusCode);
    }

    [Fact]
    public async Task Patients_never_open_staff_pages_and_staff_are_not_portal_accounts()
    {
        var (_, email) = await RegisteredPatientAsync();
        var patient = await SignedInPatientAsync(email);
        var staff = await StaffClient.SignedInAsync(_factory, "frontdesk@demo.clinic");

        var staffPage = await patient.GetAsync("/clients");
        var portalForStaff = await staff.GetAsync("/portal");
        var staffSignInAsPatient = await TextAsync(await SignInAsync(StaffClient.Anonymous(_factory), "frontdesk@demo.clinic", Infrastructure.DemoSeeder.DemoPassword));

        Assert.Equal(HttpStatusCode.Redirect, staffPage.StatusCode);
        Assert.DoesNotContain("/clients", staffPage.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, portalForStaff.StatusCode);
        Assert.StartsWith("/portal/sign-in", portalForStaff.Headers.Location!.PathAndQuery);
        Assert.Contains("The email or password is not right.", staffSignInAsPatient);
    }

    [Fact]
    public async Task An_open_page_learns_when_access_ended_and_its_polling_never_keeps_a_session_alive()
    {
        var (clientId, email) = await RegisteredPatientAsync();
        var browser = await SignedInPatientAsync(email);
        Assert.Contains("\"active\":true", await browser.GetStringAsync("/portal/session"));
        Assert.Contains("\"active\":false", await StaffClient.Anonymous(_factory).GetStringAsync("/portal/session"));

        // Polls for 35 minutes after the last real request: the idle limit (30 minutes) still ends the session.
        for (var i = 0; i < 7; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(5));
            await browser.GetStringAsync("/portal/session");
        }
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/portal")).StatusCode);

        var other = await SignedInPatientAsync(email);
        await using (var db = await _factory.DbAsync())
            await db.Clients.Where(c => c.Id == clientId).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime.AddDays(-1))));
        Assert.Equal("{\"active\":false,\"ended\":true,\"patientLost\":false}", await other.GetStringAsync("/portal/session"));
    }

    [Fact]
    public async Task Changing_the_password_keeps_this_session_and_ends_the_others()
    {
        var (_, email) = await RegisteredPatientAsync();
        var phone = await SignedInPatientAsync(email);
        var laptop = await SignedInPatientAsync(email);
        var page = await phone.GetStringAsync("/portal/account");

        var response = await phone.PostAsync("/portal/account", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalForms.Antiforgery(page), ["_handler"] = "change-password",
            ["Input.Current"] = Password, ["Input.Password"] = "violet harbor pencil summit", ["Input.Confirm"] = "violet harbor pencil summit",
        }));

        Assert.Contains("Your password is changed.", await TextAsync(response));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/portal")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.GetAsync("/portal")).StatusCode);
    }

    [Fact]
    public async Task A_patient_asking_for_another_patients_conversation_gets_404()
    {
        var (emmaId, emmaEmail) = await RegisteredPatientAsync();
        var (liamId, _) = await RegisteredPatientAsync();
        int liamsConversation;
        using (var scope = _factory.Services.CreateScope())
        {
            var messaging = scope.ServiceProvider.GetRequiredService<StaffMessagingService>();
            liamsConversation = ((MessageSendResult.Sent)await messaging.StartAsync(liamId, "Private", "For Liam only", true, Staff.FrontDesk)).ConversationId;
            await messaging.StartAsync(emmaId, "Yours", "For Emma", true, Staff.FrontDesk);
        }
        var emma = await SignedInPatientAsync(emmaEmail);

        var response = await emma.GetAsync($"/portal/messages/{liamsConversation}");
        var list = await TextAsync(await emma.GetAsync("/portal/messages"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var notFound = await TextAsync(response);
        Assert.DoesNotContain("For Liam only", notFound);
        Assert.DoesNotContain("Email log", notFound); // no staff navigation for a patient
        Assert.Contains("Yours", list);
        Assert.DoesNotContain("Private", list);
    }

}
