using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Features.ClientCards;
using PortalApp.Features.Reminders;
using PortalApp.Features.Schedule;
using PortalApp.Tests.Features.Schedule;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Reminders;

/// <summary>The client card's Reminders section, and the reminders staff see on the card and on the appointment.</summary>
public sealed class ClientRemindersSectionTests : PortalBunitContext
{
    /// <summary>Monday 9 March 2026, 10:00 in Toronto.</summary>
    private static readonly DateTime MondayTenAm = new(2026, 3, 9, 14, 0, 0, DateTimeKind.Utc);

    private Client _emma = null!;

    protected override async Task SeedAsync() => _emma = await Host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7));

    private IRenderedComponent<MudTestHost> RenderCard()
    {
        var card = RenderWithProviders<ClientCard>((nameof(ClientCard.ClientId), _emma.Id));
        card.WaitForAssertion(() => Assert.Contains("Remind by", card.Markup));
        return card;
    }

    /// <summary>The checkbox or switch a label names (the Details form above has an Email text field of its own).</summary>
    private static IElement Toggle(IRenderedComponent<MudTestHost> card, string label) =>
        card.FindAll("label").Select(l => (Text: l.TextContent.Trim(), Input: l.QuerySelector("input[type=checkbox]"))).Single(l => l.Text == label && l.Input is not null).Input!;

    private async Task<Client> StoredAsync()
    {
        await using var db = await Host.DbAsync();
        return await db.Clients.AsNoTracking().SingleAsync(c => c.Id == _emma.Id);
    }

    [Fact]
    public void The_section_labels_each_channel_and_each_opt_out_and_says_what_no_choice_means()
    {
        var card = RenderCard();

        foreach (var label in new[] { "Email", "Text message", "Voice call", "Opted out of emails", "Opted out of texts", "Opted out of calls" })
            Assert.Equal("checkbox", Toggle(card, label).GetAttribute("type"));
        Assert.Equal("None ticked: the clinic's channels (Email).", card.Find("[data-testid=remind-by-note]").TextContent.Trim());
        // The three checkboxes are one group, named by its legend, for a screen reader.
        var group = card.FindAll("legend").Single(l => l.TextContent.Trim() == "Remind by").ParentElement!;
        Assert.Equal(["Email", "Text message", "Voice call"], group.QuerySelectorAll("label").Select(l => l.TextContent.Trim()));
    }

    [Fact]
    public async Task Choices_saved_here_leave_the_details_form_able_to_save()
    {
        var card = RenderCard();

        Toggle(card, "Text message").Change(true);
        Toggle(card, "Opted out of emails").Change(true);
        card.FindAll("button").Single(b => b.TextContent.Trim() == "Save reminder choices").Click();
        card.WaitForAssertion(() => Assert.Contains("Reminder choices saved.", card.Markup));
        card.WaitForAssertion(() => Assert.Contains("Since Wed 4 Mar 2026, 10:00 AM, set on this card by Fran Desk", card.Find("[data-testid=opt-out-Email]").TextContent));

        card.FindAll("input")[2].Change("Em"); // preferred name, in the Details form above
        card.Find("[data-testid=save-client]").Click();

        card.WaitForAssertion(() => Assert.Contains("Client details saved.", card.Markup));
        var stored = await StoredAsync();
        Assert.Equal(("Sms", ServiceTestHost.Start.UtcDateTime, "Em"), (stored.ReminderChannels, stored.EmailOptOutAtUtc, stored.PreferredName));
    }

    [Fact]
    public async Task Choices_made_while_the_details_were_saved_here_still_save()
    {
        var card = RenderCard();

        Toggle(card, "Voice call").Change(true);
        card.FindAll("input")[2].Change("Em");
        card.Find("[data-testid=save-client]").Click();
        card.WaitForAssertion(() => Assert.Contains("Client details saved.", card.Markup));
        card.FindAll("button").Single(b => b.TextContent.Trim() == "Save reminder choices").Click();

        card.WaitForAssertion(() => Assert.Contains("Reminder choices saved.", card.Markup));
        Assert.Equal(("Voice", "Em"), ((await StoredAsync()).ReminderChannels, (await StoredAsync()).PreferredName));
    }

    [Fact]
    public async Task The_card_lists_every_reminder_with_when_it_goes_and_what_became_of_it()
    {
        await Host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await Host.ReminderSettingsAsync(s => s.SmsOn = true);
        await Host.ClientAsync(_emma.Id, c => c.SmsOptOutAtUtc = ServiceTestHost.Start.UtcDateTime);
        foreach (var at in new[] { ServiceTestHost.Start.UtcDateTime, MondayTenAm.AddDays(-2), MondayTenAm.AddDays(-1) })
        {
            Host.Time.SetUtcNow(at);
            await Host.Scoped<ReminderDispatcher>().RunOnceAsync();
        }

        var card = RenderCard();

        card.WaitForAssertion(() => Assert.Equal(
            ["Mon 9 Mar 2026, 10:00 AM Email Sat 7 Mar 2026, 9:00 AM Queued", "Mon 9 Mar 2026, 10:00 AM Text message Sun 8 Mar 2026, 10:00 AM Skipped Opted out of texts"],
            card.FindAll("[data-testid=reminder-list] tbody tr").Select(Row).Reverse()));
    }

    [Fact]
    public async Task The_appointment_shows_its_reminders_and_a_later_back_to_back_one_says_whose_it_are()
    {
        var chen = await Host.AddPractitionerAsync("Dr. Chen");
        var type = await Host.AddTypeAsync("Follow-up");
        var booking = Host.Scoped<BookingService>();
        (await booking.BookAsync(ScheduleTestData.Form(_emma.Id, chen.Id, type.Id, new DateOnly(2026, 3, 9), "09:00"), Staff.FrontDesk)).Booked();
        (await booking.BookAsync(ScheduleTestData.Form(_emma.Id, chen.Id, type.Id, new DateOnly(2026, 3, 9), "09:30"), Staff.FrontDesk)).Booked();
        await Host.Scoped<ReminderDispatcher>().RunOnceAsync();
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/schedule?date=2026-03-09&view=day");
        var page = RenderWithProviders<SchedulePage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".schedule-item").Count));

        page.FindAll(".schedule-item")[0].Click();
        page.WaitForAssertion(() => Assert.Equal(["Email Goes Sat 7 Mar 2026, 8:00 AM Planned"], page.FindAll("[data-testid=reminder-list] tbody tr").Select(Row)));
        page.FindAll("button").Single(b => b.TextContent.Trim() == "Close").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=reminder-list]")));

        page.FindAll(".schedule-item")[1].Click();
        page.WaitForAssertion(() => Assert.Contains("Back-to-back: this appointment's reminders go with the one at 9:00 AM that day.", page.Markup));
        Assert.Empty(page.FindAll("[data-testid=reminder-list]"));
    }

    private static string Row(IElement row) => string.Join(' ', row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).Where(t => t.Length > 0));
}
