using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

/// <summary>
/// One clinic's day, end to end: the admin brings the clinic's clients over from a Windows-1252 export, books a
/// registered patient on the Schedule, moves and cancels the visit, and the patient's own portal shows each change;
/// a double booking on the way is refused.
/// </summary>
public sealed class ClinicDayStoryTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_admin_imports_books_moves_and_cancels_and_the_patient_sees_each_change()
    {
        var (admin, adminErrors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "/admin/import", "admin@demo.clinic");

        // Morning: the clinic's 200 clients arrive from the old system, a few of them with mistakes.
        var file = ClinicCsv.WindowsClients();
        await BrowserFixture.PickFileAsync(admin.GetByLabel("CSV file (at most 20 MB)"), new FilePayload { Name = "old-system.csv", MimeType = "text/csv", Buffer = file.Bytes });
        await admin.GetByRole(AriaRole.Button, new() { Name = "Check the file (dry run)" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("dry-run-counts")).ToContainTextAsync($"{file.BadLines.Count} refused.");
        await Assertions.Expect(admin.GetByTestId("refused-rows").Locator("tbody tr")).ToHaveCountAsync(file.BadLines.Count);
        await admin.GetByLabel("Import the valid rows (skip the refused ones)").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("import-job")).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(admin.GetByTestId("import-job")).ToContainTextAsync($"{file.ValidRows} created");

        // A patient who already uses the portal, and a practitioner and visit type of this story's own.
        using var socket = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(browser.Server.BaseUrl) };
        var (noraId, noraEmail) = await PortalForms.RegisteredPatientAsync(browser.Server, socket);
        var (practitionerId, day) = await SeedScheduleAsync();

        await admin.GotoAsync($"/schedule?practitioner={practitionerId}&date={day:yyyy-MM-dd}&view=day");
        await BrowserFixture.WaitForInteractiveAsync(admin);
        await BookAsync(admin, "Quinn", "^Nora Quinn", "09:00");
        await Assertions.Expect(Visit(admin, "09:00", "Nora Quinn")).ToBeVisibleAsync();

        var (phone, phoneErrors) = await browser.NewPageAsync(390, 844);
        await phone.GotoAsync("/portal/sign-in");
        await phone.GetByLabel("Email").FillAsync(noraEmail);
        await phone.GetByLabel("Password").FillAsync(PortalForms.PatientPassword);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var visit = phone.Locator("article.portal-card", new() { HasText = "Story visit with Dr. Story" });
        await Assertions.Expect(visit).ToContainTextAsync(When(day, "9:00 AM"));

        // The visit moves to 10:30: the portal shows the new time the next time it loads.
        await Visit(admin, "09:00", "Nora Quinn").ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Reschedule" }).ClickAsync();
        await admin.GetByLabel("Start time").FillAsync("10:30");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(Visit(admin, "10:30", "Nora Quinn")).ToBeVisibleAsync();
        await phone.ReloadAsync();
        await Assertions.Expect(visit).ToContainTextAsync(When(day, "10:30 AM"));
        await Assertions.Expect(visit).Not.ToContainTextAsync("9:00 AM");

        // Someone tries to put an imported client into the same slot: refused, naming the booking in the way.
        await BookAsync(admin, "Côté", "^François Côté", "10:45");
        await Assertions.Expect(admin.GetByTestId("booking-problem")).ToHaveTextAsync(
            "Dr. Story is already booked 10:30–11:00 (Story visit). Choose another time, or another practitioner.");
        await admin.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();

        // The patient calls to cancel: the portal keeps the visit, marked cancelled.
        await Visit(admin, "10:30", "Nora Quinn").ClickAsync();
        await admin.GetByLabel("Reason for cancelling").FillAsync("Patient called: feeling better");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Cancel appointment" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("Nora Quinn Story visit · Cancelled") })).ToBeVisibleAsync();
        await phone.ReloadAsync();
        await Assertions.Expect(visit).ToHaveAttributeAsync("data-status", "Cancelled");
        await Assertions.Expect(visit).ToContainTextAsync("Cancelled:");
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("40-portal-cancelled-visit"), FullPage = true });

        // The demo clinic's first practitioner, whose week is full: the README's picture of the Schedule.
        var today = await browser.Server.Services.GetRequiredService<ClinicClock>().TodayAsync();
        await admin.GotoAsync($"/schedule?practitioner=1&date={today:yyyy-MM-dd}&view=week");
        await BrowserFixture.WaitForInteractiveAsync(admin);
        await Assertions.Expect(admin.GetByTestId("schedule-range")).ToContainTextAsync("Week of");
        await admin.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("41-schedule-week-demo"), FullPage = true });

        await using var db = await browser.Server.DbAsync();
        var history = await db.AppointmentChanges.Where(c => db.Appointments.Any(a => a.Id == c.AppointmentId && a.ClientId == noraId))
            .OrderBy(c => c.Id).Select(c => c.Kind).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([AppointmentChangeKind.Booked, AppointmentChangeKind.Rescheduled, AppointmentChangeKind.Cancelled], history);
        Assert.True(adminErrors.Count == 0, string.Join("\n", adminErrors));
        Assert.Empty(phoneErrors);
    }

    private async Task<(int PractitionerId, DateOnly Day)> SeedScheduleAsync()
    {
        await using var db = await browser.Server.DbAsync();
        var practitioner = db.Practitioners.Add(new Practitioner { DisplayName = "Dr. Story", Colour = "#2E7D32" }).Entity;
        db.AppointmentTypes.Add(new AppointmentType { Name = "Story visit", DefaultLengthMinutes = 30 });
        await db.SaveChangesAsync();
        var day = (await browser.Server.Services.GetRequiredService<ClinicClock>().TodayAsync()).AddDays(7);
        return (practitioner.Id, day);
    }

    private static string When(DateOnly day, string time) =>
        $"{day.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}, {time}";

    private static ILocator Visit(IPage page, string time, string client) =>
        page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex($"^{time}–\\d\\d:\\d\\d {client} Story visit") });

    private static async Task BookAsync(IPage page, string search, string option, string time)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Book appointment" }).ClickAsync();
        await BrowserFixture.SearchAndPickAsync(page.GetByLabel("Client", new() { Exact = true }), search, page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex(option) }).First);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Appointment type" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("^Story visit") }).ClickAsync();
        await page.GetByLabel("Start time").FillAsync(time);
        await page.GetByLabel("Room").FillAsync("Room 2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book", Exact = true }).ClickAsync();
    }
}
