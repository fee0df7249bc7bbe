using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Tests.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

/// <summary>
/// Issue 13's story, with the app's own reminder pass, real SMTP and the loopback Twilio: an admin turns text reminders
/// on; the front desk books a visit for tomorrow on the Schedule; the reminder email and text go out at once; the
/// patient opens the email's link on a phone and confirms; the Schedule, left open, shows it live; the patient texts a
/// question (kept for review) and then STOP, and her card shows the opt-out and how it came about.
/// </summary>
public sealed class ReminderStoryTests(ReminderBrowserFixture browser) : IClassFixture<ReminderBrowserFixture>
{
    private const string Practitioner = "Dr. Maya Brooks", VisitType = "Knee follow-up", Question = "Can I come at 3 instead?";
    private const string NoraEmail = "nora.lindqvist@story.example";

    [Fact]
    public async Task The_patient_confirms_from_the_reminder_email_on_a_phone_the_open_Schedule_shows_it_and_a_STOP_reply_opts_her_out()
    {
        var story = await SeedAsync();

        // The admin turns text reminders on: the default schedule sends emails two days before and texts one day before.
        var (admin, adminErrors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "/admin/reminders", "admin@demo.clinic");
        await admin.GetByRole(AriaRole.Switch, new() { Name = "Text message" }).CheckAsync();
        await Assertions.Expect(admin.GetByText("Text message reminders are off above")).ToHaveCountAsync(0);
        await Axe.AssertAccessibleAsync(admin, "reminder settings");
        // From the top: a full-page picture of a scrolled page draws the fixed app bar across its middle.
        await admin.EvaluateAsync("() => window.scrollTo(0, 0)");
        await admin.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("60-reminder-settings"), FullPage = true });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Reminder settings saved.")).ToBeVisibleAsync();

        // The front desk books tomorrow 09:30 on the Schedule: both reminders are overdue already, so both go at once.
        var (staff, staffErrors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(staff, $"/schedule?practitioner={story.PractitionerId}&date={story.Day:yyyy-MM-dd}&view=day", "frontdesk@demo.clinic");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Book appointment" }).ClickAsync();
        await BrowserFixture.SearchAndPickAsync(staff.GetByLabel("Client", new() { Exact = true }), "Lindqvist",
            staff.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("^Nora Lindqvist") }));
        await staff.GetByRole(AriaRole.Combobox, new() { Name = "Appointment type" }).ClickAsync();
        await staff.GetByRole(AriaRole.Option, new() { NameRegex = new Regex($"^{VisitType}") }).ClickAsync();
        await staff.GetByLabel("Start time").FillAsync("09:30");
        await staff.GetByLabel("Room").FillAsync("Room 4");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Book", Exact = true }).ClickAsync();
        var visit = staff.GetByRole(AriaRole.Button, new() { NameRegex = new Regex($"^09:30–10:00 Nora Lindqvist {VisitType}") });
        await Assertions.Expect(visit).ToContainTextAsync("Booked");

        // The email reaches the SMTP server within a pass or two; it says when, with whom and where, and not what for.
        var email = await browser.Smtp.WaitForMessageToAsync(story.Email, TimeSpan.FromSeconds(30));
        var body = email.Message.TextBody ?? "";
        Assert.Contains("Thursday 5 March 2026 at 9:30 AM", body);
        Assert.Contains(Practitioner, body);
        Assert.Contains("Room 4", body);
        Assert.DoesNotContain(VisitType, body);
        var link = Regex.Match(body, @"Confirm or cancel: (\S+)").Groups[1].Value;
        Assert.StartsWith($"{browser.Server.BaseUrl}/appointment/", link);
        var text = await browser.Twilio.WaitForRequestAsync(r => r.Resource == "Messages" && r.Form["To"] == story.Mobile, TimeSpan.FromSeconds(30));
        Assert.Contains("Room 4", text.Form["Body"]);

        // The patient opens the link on her phone and confirms.
        var (phone, phoneErrors) = await browser.NewPageAsync(390, 844);
        await phone.GotoAsync(link);
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Your appointment" })).ToBeVisibleAsync();
        await Assertions.Expect(phone.Locator("dl.appointment-facts dd")).ToHaveTextAsync(
            ["Thursday 5 March 2026", "9:30 AM", "Room 4", Practitioner, "Booked, not yet confirmed"]);
        await Assertions.Expect(phone.Locator("main")).Not.ToContainTextAsync(VisitType);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
        // The Schedule, open all along and never reloaded, says so at once (its live notice goes after a few seconds).
        await Assertions.Expect(staff.GetByText("Nora Lindqvist confirmed Thu 5 Mar 09:30 by reminder link")).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Status)).ToContainTextAsync("is confirmed");
        await Assertions.Expect(phone.GetByTestId("appointment-state")).ToHaveTextAsync("Confirmed");
        await Assertions.Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true })).ToHaveCountAsync(0);
        await Axe.AssertAccessibleAsync(phone, "reminder link page at phone size");
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("61-phone-appointment-confirmed"), FullPage = true });

        // On the Schedule, still not reloaded, the visit shows it, and the appointment says who confirmed and how.
        await Assertions.Expect(visit).ToContainTextAsync("Confirmed");
        await visit.ClickAsync();
        await Assertions.Expect(staff.GetByTestId("appointment-status")).ToHaveTextAsync(new Regex("^Confirmed by reminder link, Wed 4 Mar 10:\\d\\d$"));
        await Assertions.Expect(staff.GetByTestId("appointment-history").Locator("tbody tr").Last)
            .ToHaveTextAsync(new Regex("Confirmed\\s*Nora Lindqvist \\(patient\\)\\s*by reminder link"));
        await staff.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        // Twilio reports the text delivered; the patient answers it with a question, then with STOP.
        await staff.GotoAsync("/messages-log");
        await BrowserFixture.WaitForInteractiveAsync(staff);
        var textRow = staff.GetByRole(AriaRole.Row).Filter(new() { HasText = story.Mobile });
        await Assertions.Expect(textRow).ToContainTextAsync("Sent");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.Twilio.SendStatusCallbackAsync(text.Sid!, "delivered")).StatusCode);
        await Assertions.Expect(textRow).ToContainTextAsync("Delivered");
        await Assertions.Expect(staff.GetByRole(AriaRole.Row).Filter(new() { HasText = story.Email })).ToContainTextAsync("Sent");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.Twilio.SendInboundSmsAsync(story.Mobile, Question)).StatusCode);
        await Assertions.Expect(textRow).ToContainTextAsync("Replied");
        await staff.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("62-messages-log"), FullPage = true });

        await staff.GotoAsync("/replies");
        await BrowserFixture.WaitForInteractiveAsync(staff);
        await Assertions.Expect(staff.GetByTestId("replies-count")).ToHaveTextAsync("1 reply waits for review, oldest first.");
        var reply = staff.GetByTestId("replies").Locator("tbody tr");
        await Assertions.Expect(reply).ToContainTextAsync(Question);
        await Assertions.Expect(reply.GetByRole(AriaRole.Link, new() { Name = "Nora Lindqvist" })).ToBeVisibleAsync();
        await staff.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("63-replies-to-review"), FullPage = true });

        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.Twilio.SendInboundSmsAsync(story.Mobile, "STOP")).StatusCode);
        await staff.GotoAsync($"/clients/{story.ClientId}");
        await BrowserFixture.WaitForInteractiveAsync(staff);
        await Assertions.Expect(staff.GetByRole(AriaRole.Switch, new() { Name = "Opted out of texts" })).ToBeCheckedAsync();
        await Assertions.Expect(staff.GetByTestId("opt-out-Sms")).ToHaveTextAsync(new Regex("^Since Wed 4 Mar 2026, 10:\\d\\d AM, by replying “STOP” to a text$"));
        await Assertions.Expect(staff.GetByRole(AriaRole.Switch, new() { Name = "Opted out of emails" })).Not.ToBeCheckedAsync();
        var reminders = staff.GetByTestId("reminder-list").Locator("tbody tr");
        await Assertions.Expect(reminders.Filter(new() { HasText = "Email" })).ToContainTextAsync("Sent");
        await Assertions.Expect(reminders.Filter(new() { HasText = "Text message" })).ToContainTextAsync("Replied");
        await ScreenshotSectionAsync(staff, "64-client-reminders");

        Assert.True(adminErrors.Count == 0, string.Join("\n", adminErrors));
        Assert.True(staffErrors.Count == 0, string.Join("\n", staffErrors));
        Assert.True(phoneErrors.Count == 0, string.Join("\n", phoneErrors));
    }

    private sealed record Story(int ClientId, int PractitionerId, DateOnly Day, string Email, string Mobile);

    /// <summary>A patient with an email and a mobile number, and a practitioner and visit type of the story's own.</summary>
    private async Task<Story> SeedAsync()
    {
        var now = browser.Clock.GetUtcNow().UtcDateTime;
        var mobile = ReminderTestData.NewMobile();
        await using var db = await browser.Server.DbAsync();
        var practitioner = db.Practitioners.Add(new Practitioner { DisplayName = Practitioner, Colour = "#2E7D32" }).Entity;
        db.AppointmentTypes.Add(new AppointmentType { Name = VisitType, DefaultLengthMinutes = 30 });
        var client = db.Clients.Add(new Client
        {
            FirstName = "Nora", LastName = "Lindqvist", DateOfBirth = new DateOnly(1984, 3, 7), Email = NoraEmail,
            MobilePhone = mobile, MobilePhoneDigits = PhoneNumberRules.Digits(mobile), CreatedAtUtc = now, UpdatedAtUtc = now,
        }).Entity;
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        var tomorrow = (await browser.Server.Services.GetRequiredService<ClinicClock>().TodayAsync()).AddDays(1);
        return new Story(client.Id, practitioner.Id, tomorrow, NoraEmail, mobile);
    }

    /// <summary>The client card's Reminders section alone: from its heading to the end of its list.</summary>
    private static async Task ScreenshotSectionAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        var top = (await page.GetByRole(AriaRole.Heading, new() { Name = "Reminders", Exact = true, Level = 2 }).BoundingBoxAsync())!;
        var list = (await page.GetByTestId("reminder-list").BoundingBoxAsync())!;
        const float margin = 24;
        await page.ScreenshotAsync(new()
        {
            Path = BrowserFixture.ScreenshotPath(name), FullPage = true,
            Clip = new() { X = top.X - margin, Y = top.Y - margin, Width = list.X + list.Width - top.X + 2 * margin, Height = list.Y + list.Height - top.Y + 2 * margin },
        });
    }
}
