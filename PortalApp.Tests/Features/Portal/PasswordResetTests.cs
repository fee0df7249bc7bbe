using System.Net;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Portal;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Portal;

public sealed class PasswordResetTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private const string OldPassword = PortalForms.PatientPassword;
    private const string NewPassword = "violet harbor pencil summit";

    private Task<(int ClientId, string Email)> RegisteredPatientAsync() => PortalForms.RegisteredPatientAsync(app.Factory);

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string path, string handler, Dictionary<string, string> fields) =>
        PortalForms.PostAsync(browser, path, handler, fields);

    private Task<string> RequestResetLinkAsync(int clientId, string email) => PortalForms.ResetLinkAsync(app.Factory, clientId, email);

    private async Task<HttpStatusCode> SignInStatusAsync(string email, string password) =>
        (await PortalForms.PatientSignInAsync(StaffClient.Anonymous(app.Factory), email, password)).StatusCode;

    [Fact]
    public async Task A_patient_resets_the_password_from_the_emailed_link_once()
    {
        var (clientId, email) = await RegisteredPatientAsync();
        var link = await RequestResetLinkAsync(clientId, email);

        var reset = await PostFormAsync(StaffClient.Anonymous(app.Factory), link, "reset-password", new() { ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword });
        var again = await PostFormAsync(StaffClient.Anonymous(app.Factory), link, "reset-password", new() { ["Input.Password"] = "another fine long phrase", ["Input.ConfirmPassword"] = "another fine long phrase" });

        Assert.Contains("Password changed", await reset.Content.ReadAsStringAsync());
        Assert.Contains("This link can", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(email, NewPassword));
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(email, OldPassword));
    }

    [Fact]
    public async Task The_answer_is_the_same_for_an_unknown_address_and_nothing_is_sent()
    {
        var response = await PostFormAsync(StaffClient.Anonymous(app.Factory), "/portal/forgot-password", "forgot-password", new() { ["Input.Email"] = "nobody.at.all@example.com" });
        await Queued.DrainAsync(app.Factory.Services);

        Assert.Contains("If there is a portal account for that address", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        await using var db = await app.Factory.DbAsync();
        Assert.False(await db.OutboxEmails.AnyAsync(o => o.ToAddress == "nobody.at.all@example.com"));
    }

    [Fact]
    public async Task An_end_dated_patient_is_sent_nothing()
    {
        var (clientId, email) = await RegisteredPatientAsync();
        await using (var db = await app.Factory.DbAsync())
            await db.Clients.Where(c => c.Id == clientId).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1))));

        await PostFormAsync(StaffClient.Anonymous(app.Factory), "/portal/forgot-password", "forgot-password", new() { ["Input.Email"] = email });
        await Queued.DrainAsync(app.Factory.Services);

        await using var check = await app.Factory.DbAsync();
        Assert.False(await check.OutboxEmails.AnyAsync(o => o.ClientId == clientId && o.Kind == "password-reset"));
        Assert.True(await check.AuditEvents.AnyAsync(a => a.ClientId == clientId && a.Action == AuditActions.PatientPasswordResetRequest && a.Outcome == AuditOutcome.Refused));
    }

    [Fact]
    public async Task A_flood_of_requests_sends_one_email_per_15_minutes()
    {
        var (_, email) = await RegisteredPatientAsync();

        for (var i = 0; i < 6; i++)
            await PostFormAsync(StaffClient.Anonymous(app.Factory), "/portal/forgot-password", "forgot-password", new() { ["Input.Email"] = email });
        await Queued.DrainAsync(app.Factory.Services);

        await using var db = await app.Factory.DbAsync();
        Assert.Equal(1, await db.OutboxEmails.CountAsync(o => o.ToAddress == email && o.Kind == PasswordResetService.EmailKind));
    }

    [Fact]
    public async Task The_page_answers_before_the_work_is_done_so_its_timing_cannot_tell_whether_the_account_exists()
    {
        var (_, email) = await RegisteredPatientAsync();
        var gate = await Queued.HoldAsync(app.Factory.Services);
        try
        {
            var response = await PostFormAsync(StaffClient.Anonymous(app.Factory), "/portal/forgot-password", "forgot-password", new() { ["Input.Email"] = email });

            Assert.Contains("If there is a portal account for that address", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
            await using var db = await app.Factory.DbAsync();
            Assert.False(await db.OutboxEmails.AnyAsync(o => o.ToAddress == email && o.Kind == PasswordResetService.EmailKind));
        }
        finally
        {
            gate.SetResult();
        }
        await Queued.DrainAsync(app.Factory.Services);
        await using var after = await app.Factory.DbAsync();
        Assert.True(await after.OutboxEmails.AnyAsync(o => o.ToAddress == email && o.Kind == PasswordResetService.EmailKind));
    }
}
