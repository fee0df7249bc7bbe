using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Reminders;
using PortalApp.Security;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Reminders;

/// <summary>The page a reminder's link opens, over real HTTP as a phone's browser would use it.</summary>
public sealed partial class AppointmentLinkPageTests(RemindersAppFixture app) : IClassFixture<RemindersAppFixture>
{
    private const string CallTheClinic = "please call Maple Grove Family Health at (416) 555-0100.";

    private async Task<(Client Client, Appointment Appointment, string Path)> LinkAsync(DateTime startUtc, DateOnly? endDate = null)
    {
        var client = await ReminderTestData.AddClientAsync(app.Factory.DbAsync, "Jane", "Doe", ReminderTestData.NewMobile(), endDate: endDate);
        var appointment = await ReminderTestData.BookAsync(app.Factory.DbAsync, client.Id, startUtc);
        return (client, appointment, ReminderLinks.PathPrefix + await ReminderTestData.IssueLinkAsync(app.Factory.DbAsync, appointment, app.Now));
    }

    /// <summary>Posts one of the page's two forms with the antiforgery token of the page as it was when read.</summary>
    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string path, string page, string form, int? version = 0)
    {
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = PortalForms.Antiforgery(page), ["_handler"] = form };
        if (version is { } v)
            fields["Version"] = v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return browser.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    private async Task<Appointment> ReadAsync(int id)
    {
        await using var db = await app.Factory.DbAsync();
        return await db.Appointments.AsNoTracking().Include(a => a.Changes).SingleAsync(a => a.Id == id);
    }

    [Fact]
    public async Task The_page_shows_when_where_and_with_whom_offers_both_answers_and_reading_it_changes_nothing()
    {
        var (client, appointment, path) = await LinkAsync(app.NineOClock(2));
        var browser = StaffClient.Anonymous(app.Factory);

        var response = await browser.GetAsync(path);
        await browser.GetAsync(path);

        var html = await PortalForms.TextAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<title>Your appointment · Maple Grove Family Health</title>", html);
        Assert.Contains("<h1>Your appointment</h1>", html);
        Assert.Contains($"<dt>Date</dt><dd>{Components.Shared.Dates.FormatDay(appointment.StartUtc, TimeZoneInfo.FindSystemTimeZoneById("America/Toronto"))}</dd>", html);
        Assert.Contains("<dt>Place</dt><dd>Room 4</dd>", html);
        Assert.Contains("<dt>Practitioner</dt>", html);
        Assert.DoesNotContain("Appointment type", html);
        Assert.Contains("Booked, not yet confirmed", html);
        Assert.Matches(@"<button[^>]*type=""submit""[^>]*>\s*<span[^>]*>\s*Confirm\s*</span>", html);
        Assert.Contains("Cancel appointment", html);
        Assert.Equal(2, AntiforgeryFields().Matches(html).Count); // one per form: two in one form break every browser's post
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var stored = await ReadAsync(appointment.Id);
        Assert.Equal((0, null, 0), (stored.Version, stored.ConfirmedAtUtc, stored.Changes.Count));
        await using var db = await app.Factory.DbAsync();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.ClientId == client.Id));
        Assert.Null((await db.ReminderLinks.AsNoTracking().SingleAsync(l => l.AppointmentId == appointment.Id)).ConfirmedAtUtc);
    }

    [Fact]
    public async Task Confirm_confirms_and_the_page_says_so_without_offering_it_again()
    {
        var (_, appointment, path) = await LinkAsync(app.NineOClock(2));
        var browser = StaffClient.Anonymous(app.Factory);

        var response = await PostAsync(browser, path, await browser.GetStringAsync(path), AppointmentLinkPage.ConfirmForm);

        var html = await PortalForms.TextAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"role=""status"">Thank you: your appointment on \w+ \d+ March at 9:00 AM is confirmed\.<", html);
        Assert.Contains("data-testid=\"appointment-state\">Confirmed<", html);
        Assert.DoesNotMatch(@"<span[^>]*>\s*Confirm\s*</span>", html);
        Assert.Equal("reminder link", (await ReadAsync(appointment.Id)).ConfirmedVia);
    }

    [Fact]
    public async Task A_cancel_uses_the_link_up_so_the_same_post_again_is_refused()
    {
        var (_, appointment, path) = await LinkAsync(app.NineOClock(3));
        var browser = StaffClient.Anonymous(app.Factory);
        var page = await browser.GetStringAsync(path);

        var cancelled = await PostAsync(browser, path, page, AppointmentLinkPage.CancelForm);
        var again = await PostAsync(browser, path, page, AppointmentLinkPage.CancelForm);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Contains("is cancelled. To book another, " + CallTheClinic, await PortalForms.TextAsync(cancelled));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("This link has already been used to cancel. Please call Maple Grove Family Health at (416) 555-0100.", await PortalForms.TextAsync(again));
        var stored = await ReadAsync(appointment.Id);
        Assert.Equal(("Cancelled by the patient (reminder link)", 1), (stored.CancelReason, stored.Changes.Count));
    }

    [Fact]
    public async Task A_crafted_cancel_is_refused_on_the_server_when_cancelling_online_is_off_or_too_late()
    {
        var (_, later, laterPath) = await LinkAsync(app.NineOClock(3));
        var (_, soon, soonPath) = await LinkAsync(app.Now.AddHours(20));
        var browser = StaffClient.Anonymous(app.Factory);
        await ReminderTestData.SetRemindersAsync(app.Factory.DbAsync, s => s.AllowOnlineCancel = false);
        HttpResponseMessage off;
        string offPage;
        try
        {
            offPage = await browser.GetStringAsync(laterPath);
            off = await PostAsync(browser, laterPath, offPage, AppointmentLinkPage.CancelForm);
        }
        finally
        {
            await ReminderTestData.SetRemindersAsync(app.Factory.DbAsync, s => s.AllowOnlineCancel = true);
        }
        var soonPage = await browser.GetStringAsync(soonPath);
        var late = await PostAsync(browser, soonPath, soonPage, AppointmentLinkPage.CancelForm);

        Assert.DoesNotContain("Cancel appointment", offPage);
        Assert.Contains("Maple Grove Family Health doesn't take cancellations online. To cancel, " + CallTheClinic, System.Net.WebUtility.HtmlDecode(offPage));
        Assert.DoesNotContain("Cancel appointment", soonPage);
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (off.StatusCode, late.StatusCode));
        Assert.Contains("doesn't take cancellations online", await PortalForms.TextAsync(off));
        Assert.Contains("Appointments can't be cancelled online less than 24 hours before they start. To cancel, " + CallTheClinic, await PortalForms.TextAsync(late));
        Assert.Equal(AppointmentStatus.Booked, (await ReadAsync(later.Id)).Status);
        Assert.Equal(AppointmentStatus.Booked, (await ReadAsync(soon.Id)).Status);
    }

    [Fact]
    public async Task Unknown_malformed_and_expired_links_get_the_same_page_and_410()
    {
        var (_, _, expired) = await LinkAsync(app.Now.AddMinutes(30));
        var browser = StaffClient.Anonymous(app.Factory);
        var unknown = await browser.GetAsync(ReminderLinks.PathPrefix + SecretTokens.NewToken());
        var malformed = await browser.GetAsync(ReminderLinks.PathPrefix + "not-a-token");
        var page = await browser.GetStringAsync(expired);
        app.Clock.Advance(TimeSpan.FromMinutes(30));

        var responses = new[] { unknown, malformed, await browser.GetAsync(expired), await PostAsync(browser, expired, page, AppointmentLinkPage.ConfirmForm) };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Gone, r.StatusCode));
        // The same main content, but for the hidden forms' own address and antiforgery token.
        var bodies = await Task.WhenAll(responses.Select(async r => FormAction().Replace(AntiforgeryFields().Replace(MainContent(await PortalForms.TextAsync(r)), ""), "")));
        Assert.All(bodies, body => Assert.Equal(bodies[0], body));
        Assert.Contains("This link has expired or is not valid. To confirm or cancel your appointment, " + CallTheClinic, bodies[0]);
        Assert.DoesNotContain("Room 4", bodies[0]);
        Assert.Contains("<title>Link can't be used · Maple Grove Family Health</title>", await PortalForms.TextAsync(unknown));
    }

    [Fact]
    public async Task An_end_dated_clients_link_shows_whom_to_call_and_not_the_appointment()
    {
        var (_, _, path) = await LinkAsync(app.NineOClock(2), endDate: DateOnly.FromDateTime(app.Now).AddDays(-1));

        var response = await StaffClient.Anonymous(app.Factory).GetAsync(path);

        var html = await PortalForms.TextAsync(response);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("We can't take this answer online. Please call Maple Grove Family Health at (416) 555-0100.", html);
        Assert.DoesNotContain("Room 4", html);
    }

    [Fact]
    public async Task The_token_never_reaches_the_log()
    {
        var (_, _, path) = await LinkAsync(app.NineOClock(4));
        var browser = StaffClient.Anonymous(app.Factory);
        await PostAsync(browser, path, await browser.GetStringAsync(path), AppointmentLinkPage.ConfirmForm);

        var logs = app.Factory.ReadLogs();

        Assert.Contains("HTTP GET /appointment/*** responded 200", logs);
        Assert.Contains("HTTP POST /appointment/*** responded 200", logs);
        Assert.DoesNotContain(path[ReminderLinks.PathPrefix.Length..], logs);
    }

    private static string MainContent(string html) => html[html.IndexOf("<main", StringComparison.Ordinal)..(html.IndexOf("</main>", StringComparison.Ordinal) + 7)];

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"[^\"]+\"")]
    private static partial Regex AntiforgeryFields();

    [GeneratedRegex("action=\"/appointment/[^\"]*\"")]
    private static partial Regex FormAction();
}
