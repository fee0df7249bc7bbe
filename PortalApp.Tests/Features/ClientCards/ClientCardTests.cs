using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.ClientCards;
using PortalApp.Features.Clients;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.ClientCards;

public sealed class ClientCardTests : PortalBunitContext
{
    private Client _emma = null!;

    protected override async Task SeedAsync()
    {
        _emma = await Host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7));
        await Host.AddAppointmentAsync(_emma.Id, new DateTime(2026, 3, 10, 14, 30, 0, DateTimeKind.Utc), "Dr. Liam Chen");
        await Host.AddAppointmentAsync(_emma.Id, new DateTime(2026, 2, 2, 15, 0, 0, DateTimeKind.Utc), "Dr. Amara Okafor");
    }

    private IRenderedComponent<MudTestHost> RenderCard()
    {
        var card = RenderWithProviders<ClientCard>((nameof(ClientCard.ClientId), _emma.Id));
        card.WaitForAssertion(() => Assert.Contains("Emma Smith", card.Find("h1").TextContent));
        return card;
    }

    private static void OpenTab(IRenderedComponent<MudTestHost> card, string name) =>
        card.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == name).Click();

    [Fact]
    public void Shows_the_five_tabs_with_details_first()
    {
        var card = RenderCard();

        Assert.Equal(["Details", "Appointments", "Patient messaging", "Patient portal", "Intake forms"], card.FindAll(".mud-tab").Select(t => t.TextContent.Trim()));
        Assert.Contains("Born 7 Mar 1984 (age 41)", card.Markup);
        Assert.Equal("Emma", card.FindAll("input").First().GetAttribute("value"));
    }

    [Fact]
    public void The_appointments_tab_lists_visits_in_clinic_time_with_a_link_to_the_charting_window()
    {
        var card = RenderCard();

        OpenTab(card, "Appointments");

        card.WaitForAssertion(() =>
        {
            var tables = card.FindAll("table");
            Assert.Equal(["Upcoming", "Past"], card.FindAll("h2").Select(h => h.TextContent));
            Assert.Contains("Tue 10 Mar 2026, 10:30 AM", tables[0].TextContent); // 14:30 UTC is 10:30 in Toronto (EDT from 8 March)
            Assert.Contains("Dr. Liam Chen", tables[0].TextContent);
            Assert.Contains("Mon 2 Feb 2026, 10:00 AM", tables[1].TextContent); // EST: UTC-5
            Assert.StartsWith("/appointments/", card.Find("a[href^='/appointments/']").GetAttribute("href"));
        });
    }

    [Fact]
    public void The_patient_messaging_tab_offers_the_invite()
    {
        var card = RenderCard();

        OpenTab(card, "Patient messaging");

        card.WaitForAssertion(() => Assert.Contains(card.FindAll("button"), b => b.TextContent.Trim() == "Send patient portal invite"));
    }

    [Fact]
    public void The_patient_portal_tab_shows_the_patients_own_access_and_offers_a_caregiver_invite()
    {
        var card = RenderCard();

        OpenTab(card, "Patient portal");

        card.WaitForAssertion(() => Assert.Contains("Not invited", card.Find("[data-testid=own-portal-status]").TextContent));
        Assert.Equal("Send caregiver patient portal invite", card.Find("[data-testid=open-caregiver-invite]").TextContent.Trim());
    }

    [Fact]
    public async Task Saving_a_valid_change_stores_it_and_confirms()
    {
        var card = RenderCard();

        card.FindAll("input")[2].Change("Em"); // preferred name
        card.Find("[data-testid=save-client]").Click();

        card.WaitForAssertion(() => Assert.Contains("Client details saved.", card.Markup));
        await using var db = await Host.DbAsync();
        Assert.Equal("Em", (await db.Clients.SingleAsync(c => c.Id == _emma.Id)).PreferredName);
    }

    [Fact]
    public async Task An_invalid_email_is_explained_and_nothing_is_saved()
    {
        var card = RenderCard();

        card.Find("input[type=email]").Change("emma@example.com; boss@example.com");
        card.Find("[data-testid=save-client]").Click();

        card.WaitForAssertion(() => Assert.Contains("Enter exactly one email address", card.Markup));
        await using var db = await Host.DbAsync();
        Assert.Equal("emma.smith@example.com", (await db.Clients.SingleAsync(c => c.Id == _emma.Id)).Email);
    }
}
