using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Reminders;
using PortalApp.Features.Schedule;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Schedule;

/// <summary>The Schedule page: the week around the host's "today" (Wed 4 Mar 2026), Toronto time, clocks forward on Sun 8 Mar.</summary>
public sealed class SchedulePageTests : PortalBunitContext
{
    private Practitioner _chen = null!;

    protected override async Task SeedAsync()
    {
        var emma = await Host.AddClientAsync();
        _chen = await Host.AddPractitionerAsync("Dr. Chen");
        var type = await Host.AddTypeAsync("Follow-up");
        var booking = Host.Scoped<BookingService>();
        // 09:00 on the Friday before the spring change (EST) and on the Monday after it (EDT).
        (await booking.BookAsync(ScheduleTestData.Form(emma.Id, _chen.Id, type.Id, new DateOnly(2026, 3, 6), "09:00"), Staff.FrontDesk)).Booked();
        (await booking.BookAsync(ScheduleTestData.Form(emma.Id, _chen.Id, type.Id, new DateOnly(2026, 3, 9), "09:00"), Staff.FrontDesk)).Booked();
    }

    private IRenderedComponent<MudTestHost> RenderSchedule()
    {
        var page = RenderWithProviders<SchedulePage>();
        page.WaitForAssertion(() => Assert.Equal("Week of Mon 2 Mar 2026", page.Find("[data-testid=schedule-range]").TextContent.Trim()));
        return page;
    }

    private static List<string> Appointments(IRenderedComponent<MudTestHost> page) =>
        page.FindAll(".schedule-item").Select(b => Name(b.TextContent)).ToList();

    /// <summary>The button's accessible name: its text, spaces collapsed as a screen reader reads it.</summary>
    private static string Name(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();

    private async Task<int> ScheduleViewsAsync()
    {
        await using var db = await Host.DbAsync();
        return await db.AuditEvents.CountAsync(e => e.Action == AuditActions.ScheduleView);
    }

    [Fact]
    public async Task The_week_shows_nine_oclock_at_nine_oclock_on_both_sides_of_the_spring_change()
    {
        var page = RenderSchedule();

        Assert.Equal(["09:00–09:30 Emma Smith Follow-up · Booked, Fri 6 Mar 2026"], Appointments(page));
        var before = page.Find(".schedule-item").GetAttribute("style")!;

        page.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Next week").Click();

        page.WaitForAssertion(() => Assert.Equal(["09:00–09:30 Emma Smith Follow-up · Booked, Mon 9 Mar 2026"], Appointments(page)));
        var after = page.Find(".schedule-item").GetAttribute("style")!;
        Assert.Equal(GridRow(before), GridRow(after)); // the same row of the grid: 09:00
        Assert.Equal(1, await ScheduleViewsAsync());
    }

    [Fact]
    public async Task A_patients_answer_shows_as_a_notice_and_on_the_grid_without_a_reload()
    {
        var page = RenderSchedule();
        Appointment friday;
        await using (var db = await Host.DbAsync())
            friday = await db.Appointments.AsNoTracking().OrderBy(a => a.StartUtc).FirstAsync();

        await Host.Scoped<AppointmentResponses>().ConfirmAsync(friday.Id, friday.ClientId, ResponseVia.TextReply);

        page.WaitForAssertion(() => Assert.Contains("Emma Smith confirmed Fri 6 Mar 09:00 by text reply", page.Markup));
        Assert.Equal(["09:00–09:30 Emma Smith Follow-up · Confirmed, Fri 6 Mar 2026"], Appointments(page));

        await Host.Scoped<AppointmentResponses>().CancelAsync(friday.Id, friday.ClientId, ResponseVia.VoiceCall);

        page.WaitForAssertion(() => Assert.Contains("Emma Smith cancelled Fri 6 Mar 09:00 by voice call", page.Markup));
        Assert.Equal(["09:00–09:30 Emma Smith Follow-up · Cancelled, Fri 6 Mar 2026"], Appointments(page));
    }

    [Fact]
    public void Front_desk_marks_an_appointment_confirmed_for_a_patient_who_phoned()
    {
        var page = RenderSchedule();

        page.Find(".schedule-item").Click();
        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".mud-dialog button"), b => b.TextContent.Trim() == "Mark confirmed"));
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Mark confirmed").Click();

        page.WaitForAssertion(() => Assert.Equal(["09:00–09:30 Emma Smith Follow-up · Confirmed, Fri 6 Mar 2026"], Appointments(page)));
        page.Find(".schedule-item").Click();
        page.WaitForAssertion(() => Assert.StartsWith("Confirmed by staff, ", page.Find("[data-testid=appointment-status]").TextContent.Trim()));
        Assert.DoesNotContain(page.FindAll(".mud-dialog button"), b => b.TextContent.Trim() == "Mark confirmed");
        Assert.Contains("for the patient, by staff", page.Find("[data-testid=appointment-history]").TextContent);
    }

    [Fact]
    public void The_day_view_shows_one_day_and_each_appointment_is_a_labelled_button()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/schedule?date=2026-03-09&view=day");
        var page = RenderWithProviders<SchedulePage>();

        page.WaitForAssertion(() => Assert.Equal("Mon 9 Mar 2026", page.Find("[data-testid=schedule-range]").TextContent.Trim()));
        var button = page.Find(".schedule-item");
        Assert.Equal("BUTTON", button.TagName);
        Assert.Equal("09:00–09:30 Emma Smith Follow-up · Booked, Mon 9 Mar 2026", Name(button.TextContent));
        Assert.Null(button.GetAttribute("aria-label")); // the visible text is the name (WCAG 2.5.3)
    }

    [Fact]
    public async Task Opening_the_schedule_is_one_audit_row_however_often_it_renders_or_moves()
    {
        var prerender = Render<SchedulePage>();
        prerender.WaitForAssertion(() => Assert.NotEmpty(prerender.FindAll("[data-testid=schedule-range]")));
        PageState.TriggerOnPersisting(); // the end of the prerender: the page hands on what it recorded

        var page = RenderSchedule(); // the same page once its circuit is up
        page.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Next week").Click();
        page.Render();

        Assert.Equal(1, await ScheduleViewsAsync());
        await using var db = await Host.DbAsync();
        var row = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.ScheduleView);
        Assert.Equal((Staff.FrontDesk.UserId, (int?)null), (row.StaffUserId, row.ClientId));
    }

    [Fact]
    public void A_practitioner_sees_the_schedule_without_the_booking_button()
    {
        SignInAs(Staff.Practitioner);

        var page = RenderSchedule();

        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Book appointment");
        Assert.Single(Appointments(page));
    }

    private static string GridRow(string style) => style.Split(';').Single(s => s.Trim().StartsWith("grid-row")).Trim();
}
