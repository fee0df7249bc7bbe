using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

public sealed class ScheduleJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>A practitioner, type and client of this test's own, so the demo data's bookings are not in the way.</summary>
    private async Task<(int PractitionerId, DateOnly Day)> SeedAsync()
    {
        await using var db = await browser.Server.DbAsync();
        var practitioner = db.Practitioners.Add(new Practitioner { DisplayName = "Dr. Browser Test", Colour = "#6A1B9A" }).Entity;
        db.AppointmentTypes.Add(new AppointmentType { Name = "Browser visit", DefaultLengthMinutes = 30 });
        db.Clients.Add(new Client { FirstName = "Zed", LastName = "Browserton", DateOfBirth = new DateOnly(1990, 1, 2), CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow });
        await db.SaveChangesAsync();
        var day = (await browser.Server.Services.GetRequiredService<ClinicClock>().TodayAsync()).AddDays(7);
        return (practitioner.Id, day);
    }

    private static ILocator Item(IPage page, string time) =>
        page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex($"^{time}–\\d\\d:\\d\\d Zed Browserton Browser visit") });

    [Fact]
    public async Task Front_desk_books_is_refused_a_double_booking_reschedules_and_cancels_on_the_schedule()
    {
        var (practitionerId, day) = await SeedAsync();
        var (page, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, $"/schedule?practitioner={practitionerId}&date={day:yyyy-MM-dd}&view=day", "frontdesk@demo.clinic");
        await Assertions.Expect(page.GetByTestId("schedule-range")).ToHaveTextAsync(day.ToString("ddd d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await Axe.AssertAccessibleAsync(page, "schedule");

        await BookAsync(page, "09:00");
        await Assertions.Expect(Item(page, "09:00")).ToBeVisibleAsync();

        await BookAsync(page, "09:15");
        await Assertions.Expect(page.GetByTestId("booking-problem")).ToHaveTextAsync(
            "Dr. Browser Test is already booked 09:00–09:30 (Browser visit). Choose another time, or another practitioner.");
        await NoSnackbarAsync(page);
        await Axe.AssertAccessibleAsync(page, "booking dialog");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true }).ClickAsync();

        await Item(page, "09:00").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Reschedule" }).ClickAsync();
        await page.GetByLabel("Start time").FillAsync("10:30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(Item(page, "10:30")).ToBeVisibleAsync();
        await Assertions.Expect(Item(page, "09:00")).ToHaveCountAsync(0);

        await Item(page, "10:30").ClickAsync();
        await Assertions.Expect(page.GetByTestId("appointment-history")).ToContainTextAsync("Rescheduled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel appointment" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("appointment-problem")).ToHaveTextAsync("Give the reason for cancelling.");
        await page.GetByLabel("Reason for cancelling").FillAsync("Client called to cancel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel appointment" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("Zed Browserton Browser visit · Cancelled") })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("30-schedule-day"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Week" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("schedule-range")).ToContainTextAsync("Week of");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("31-schedule-week"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>MudBlazor's success snackbar fails axe's contrast rule on every page; the page under it is what is checked here.</summary>
    private static Task NoSnackbarAsync(IPage page) =>
        Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 15_000 });

    private static async Task BookAsync(IPage page, string time)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Book appointment" }).ClickAsync();
        await BrowserFixture.SearchAndPickAsync(page.GetByLabel("Client", new() { Exact = true }), "Browserton", page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("^Zed Browserton") }));
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Appointment type" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("^Browser visit") }).ClickAsync();
        await page.GetByLabel("Start time").FillAsync(time);
        await page.GetByLabel("Room").FillAsync("Room 3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Book", Exact = true }).ClickAsync();
    }

    [Fact]
    public async Task An_admin_adds_an_appointment_type_and_both_admin_pages_pass_axe()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "/admin/practitioners", "admin@demo.clinic");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Dr. Liam Chen", Exact = true })).ToBeVisibleAsync();
        await Axe.AssertAccessibleAsync(page, "practitioners");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Dr. Liam Chen" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("colour-contrast")).ToContainTextAsync("(readable)");
        await Axe.AssertAccessibleAsync(page, "practitioner dialog");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("32-practitioner-dialog") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.GotoAsync("/admin/appointment-types");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add appointment type" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Browser type");
        await page.GetByLabel("Default length (minutes)").FillAsync("45");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Browser type", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("Browser type") })).ToContainTextAsync("45 min");
        await NoSnackbarAsync(page);
        await Axe.AssertAccessibleAsync(page, "appointment types");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("33-appointment-types"), FullPage = true });
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
