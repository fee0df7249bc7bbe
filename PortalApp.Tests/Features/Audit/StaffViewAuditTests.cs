using PortalApp.Features.ClientCards;
using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Charting;
using PortalApp.Features.Clients;
using PortalApp.Features.Messaging;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Audit;

/// <summary>
/// Who looked at whose record, and when: one audit row per open of a client card, a charting window or a
/// conversation; none for a re-render, a live refresh or the interactive render that follows a prerender.
/// (PrerenderedViewAuditTests and the browser's StaffJourneyTests check the same against the real app.)
/// </summary>
public sealed class StaffViewAuditTests : PortalBunitContext
{
    private Client _emma = null!;
    private Appointment _visit = null!;
    private int _conversationId;

    protected override async Task SeedAsync()
    {
        _emma = await Host.AddClientAsync();
        _visit = await Host.AddAppointmentAsync(_emma.Id, ServiceTestHost.Start.UtcDateTime.AddDays(1));
        await using var db = await Host.DbAsync();
        db.Users.Add(new PortalUser { UserName = "emma.smith@example.com", Email = "emma.smith@example.com", ClientId = _emma.Id, DisplayName = "Emma Smith" });
        await db.SaveChangesAsync();
        _conversationId = Assert.IsType<MessageSendResult.Sent>(
            await Host.Scoped<StaffMessagingService>().StartAsync(_emma.Id, "Your results", "All normal.", true, Staff.Practitioner)).ConversationId;
    }

    private async Task<List<AuditEvent>> ViewsAsync(string action)
    {
        await using var db = await Host.DbAsync();
        return await db.AuditEvents.Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }

    private IRenderedComponent<MudTestHost> RenderCard(int clientId)
    {
        var card = RenderWithProviders<ClientCard>((nameof(ClientCard.ClientId), clientId));
        card.WaitForAssertion(() => Assert.NotEmpty(card.FindAll("h1")));
        return card;
    }

    [Fact]
    public async Task Opening_a_client_card_records_who_viewed_whose_card_and_when_once()
    {
        var card = RenderCard(_emma.Id);
        card.Render();
        card.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Appointments").Click();
        card.WaitForAssertion(() => Assert.NotEmpty(card.FindAll("table")));

        var view = Assert.Single(await ViewsAsync(AuditActions.ClientView));
        Assert.Equal((Staff.FrontDesk.UserId, "Fran Desk", _emma.Id, ServiceTestHost.Start.UtcDateTime), (view.StaffUserId, view.StaffDisplayName, view.ClientId, view.AtUtc));
    }

    [Fact]
    public async Task The_interactive_render_after_a_prerender_records_nothing_more()
    {
        var prerender = Render<ClientCard>(p => p.Add(c => c.ClientId, _emma.Id));
        prerender.WaitForAssertion(() => Assert.Contains("Emma Smith", prerender.Find("h1").TextContent));
        PageState.TriggerOnPersisting(); // the end of the prerender: the page hands on what it recorded

        RenderCard(_emma.Id); // the same page, rendered again once its circuit is up

        Assert.Single(await ViewsAsync(AuditActions.ClientView));
    }

    [Fact]
    public async Task Another_client_on_the_same_page_is_another_view()
    {
        var noah = await Host.AddClientAsync("Noah", "Brown", email: "noah@example.com");
        var card = RenderWithProviders<ClientCard>((nameof(ClientCard.ClientId), _emma.Id));
        card.WaitForAssertion(() => Assert.Contains("Emma Smith", card.Find("h1").TextContent));

        card.FindComponent<ClientCard>().Render(p => p.Add(c => c.ClientId, noah.Id));
        card.WaitForAssertion(() => Assert.Contains("Noah Brown", card.Find("h1").TextContent));

        Assert.Equal([_emma.Id, noah.Id], (await ViewsAsync(AuditActions.ClientView)).Select(v => v.ClientId));
    }

    [Fact]
    public async Task Opening_a_charting_window_records_a_view_of_its_chart_note()
    {
        SignInAs(Staff.Practitioner);
        var window = RenderWithProviders<ChartingWindow>((nameof(ChartingWindow.AppointmentId), _visit.Id));
        window.WaitForAssertion(() => Assert.NotEmpty(window.FindAll("[data-testid=chart-note]")));
        window.Render();

        var view = Assert.Single(await ViewsAsync(AuditActions.ChartNoteView));
        Assert.Equal((Staff.Practitioner.UserId, _emma.Id, $"Appointment {_visit.Id}"), (view.StaffUserId, view.ClientId, view.Details));
        Assert.Empty(await ViewsAsync(AuditActions.ClientView));
    }

    [Fact]
    public async Task Opening_a_conversation_is_recorded_once_whatever_arrives_while_it_is_open()
    {
        var tab = RenderWithProviders<StaffConversations>((nameof(StaffConversations.ClientId), _emma.Id));
        tab.WaitForAssertion(() => Assert.Contains("Your results", tab.Markup));
        Assert.Empty(await ViewsAsync(AuditActions.ConversationView)); // the list shows subjects only

        tab.FindAll("button").Single(b => b.TextContent.Trim() == "Your results").Click();
        tab.WaitForAssertion(() => Assert.Contains("All normal.", tab.Find("[data-testid=conversation-thread]").TextContent));
        // The patient replies (a live refresh), staff reply, staff click the open conversation again.
        await Host.Scoped<PatientMessagingService>().ReplyAsync(_emma.Id, _conversationId, "Thank you!", "Emma Smith");
        tab.WaitForAssertion(() => Assert.Contains("Thank you!", tab.Find("[data-testid=conversation-thread]").TextContent));
        await Host.Scoped<StaffMessagingService>().ReplyAsync(_emma.Id, _conversationId, "You're welcome.", Staff.FrontDesk);
        tab.WaitForAssertion(() => Assert.Contains("You're welcome.", tab.Find("[data-testid=conversation-thread]").TextContent));
        tab.FindAll("button").Single(b => b.TextContent.Trim() == "Your results").Click();

        var view = Assert.Single(await ViewsAsync(AuditActions.ConversationView));
        Assert.Equal((Staff.FrontDesk.UserId, _emma.Id, $"Conversation {_conversationId}"), (view.StaffUserId, view.ClientId, view.Details));
    }
}
