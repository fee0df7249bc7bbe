using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Sending;
using PortalApp.Features.Invites;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.IntakeForms.Sending;

/// <summary>Send intake form on the Patient messaging tab, over the real sender and database; inputs found by their labels.</summary>
public sealed class SendIntakeFormTests : PortalBunitContext
{
    /// <summary>Monday 9 March 2026, 10:00 in Toronto.</summary>
    private static readonly DateTime MondayTenAm = new(2026, 3, 9, 14, 0, 0, DateTimeKind.Utc);

    private Client _emma = null!;

    protected override async Task SeedAsync()
    {
        _emma = await Host.AddClientAsync();
        await using var db = await Host.DbAsync();
        db.Users.Add(new PortalUser { UserName = "emma.smith@example.com", Email = "emma.smith@example.com", ClientId = _emma.Id, DisplayName = "Emma Smith" });
        await db.SaveChangesAsync();
    }

    private IRenderedComponent<MudTestHost> OpenPanel(int? clientId = null)
    {
        var tab = RenderWithProviders<PatientMessagingTab>((nameof(PatientMessagingTab.ClientId), clientId ?? _emma.Id));
        tab.WaitForAssertion(() => Click(tab, "Send intake form"));
        tab.WaitForAssertion(() => tab.Find("[data-testid=intake-form-panel]"));
        return tab;
    }

    private static void Click(IRenderedComponent<MudTestHost> tab, string text) => tab.FindAll("button").Single(b => b.TextContent.Trim() == text).Click();

    private static IElement Labelled(IRenderedComponent<MudTestHost> tab, string label)
    {
        var element = Assert.Single(tab.FindAll("label"), l => l.TextContent.Trim() == label);
        return tab.Find($"[id='{element.GetAttribute("for")}']");
    }

    /// <summary>Opens the select with this label and clicks each item (a multiple choice stays open and toggles).</summary>
    private static void Pick(IRenderedComponent<MudTestHost> tab, string label, params string[] items)
    {
        Labelled(tab, label).Closest(".mud-input-control")!.MouseDown();
        foreach (var item in items)
            tab.WaitForAssertion(() => tab.FindAll(".mud-popover-open .mud-list-item").First(i => i.TextContent.Trim() == item).Click());
    }

    private async Task<IReadOnlyList<(string Title, int Number)>> StartersAsync()
    {
        await using var db = await Host.DbAsync();
        return (await db.IntakeFormVersions.AsNoTracking().Where(v => v.Number == 1).OrderBy(v => v.Title).Select(v => new { v.Title, v.Number }).ToListAsync())
            .Select(v => (v.Title, v.Number)).ToList();
    }

    [Fact]
    public void The_panel_offers_labelled_choices_and_preview_and_send()
    {
        var tab = OpenPanel();

        foreach (var label in new[] { "Forms to send", "Link to appointment", "Template" })
            Assert.NotNull(Labelled(tab, label));
        Assert.Contains(tab.FindAll("button"), b => b.TextContent.Trim() == "Preview");
        Assert.Contains(tab.FindAll("button"), b => b.TextContent.Trim() == "Send");
    }

    [Fact]
    public async Task Staff_pick_two_forms_and_an_appointment_preview_the_message_and_send_it()
    {
        var monday = await Host.AddAppointmentAsync(_emma.Id, MondayTenAm, type: "New patient assessment");
        var starters = await StartersAsync();
        var tab = OpenPanel();

        Pick(tab, "Forms to send", $"{starters[0].Title} (version 1)", $"{starters[1].Title} (version 1)");
        Pick(tab, "Link to appointment", "Mon 9 Mar 2026, 10:00 AM · New patient assessment with Dr. Test");
        Click(tab, "Preview");

        tab.WaitForAssertion(() =>
        {
            var preview = tab.Find("[data-testid=intake-preview]").TextContent;
            Assert.Contains("Forms to fill in for Test Clinic", preview);
            Assert.Contains($"Please fill in {starters[0].Title} and {starters[1].Title} in your patient portal before your appointment on Monday 9 March 2026 at 10:00 AM.", preview);
            Assert.Contains("due Mon 9 Mar 2026, 10:00 AM", preview);
        });
        tab.Find("[data-testid=intake-send]").Click();

        tab.WaitForAssertion(() => Assert.Empty(tab.FindAll("[data-testid=intake-form-panel]")));
        tab.WaitForAssertion(() => Assert.Contains("Forms to fill in for Test Clinic", tab.Find("[data-testid=conversations]").TextContent));
        await using var db = await Host.DbAsync();
        Assert.Equal([monday.Id, monday.Id], await db.FormAssignments.Select(a => a.AppointmentId).ToListAsync());
    }

    [Fact]
    public async Task Sending_with_no_form_picked_says_why_and_sends_nothing()
    {
        var tab = OpenPanel();

        tab.Find("[data-testid=intake-send]").Click();

        tab.WaitForAssertion(() => Assert.Equal(IntakeFormSendMessages.NoForm, tab.Find("[data-testid=intake-problems]").TextContent.Trim()));
        await using var db = await Host.DbAsync();
        Assert.Equal(0, await db.FormAssignments.CountAsync());
    }

    private void AssertNotOffered(int clientId)
    {
        var tab = RenderWithProviders<PatientMessagingTab>((nameof(PatientMessagingTab.ClientId), clientId));
        tab.WaitForAssertion(() => Assert.Contains("Patient portal", tab.Markup));
        Assert.DoesNotContain(tab.FindAll("button"), b => b.TextContent.Trim() == "Send intake form");
    }

    [Fact]
    public async Task A_patient_nobody_can_read_messages_for_is_not_offered_forms() =>
        AssertNotOffered((await Host.AddClientAsync("Liam", "Chen", email: "liam@example.com")).Id);

    [Fact]
    public async Task An_end_dated_patient_is_not_offered_forms()
    {
        await using (var db = await Host.DbAsync())
            await db.Clients.Where(c => c.Id == _emma.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, new DateOnly(2026, 3, 1)));

        AssertNotOffered(_emma.Id);
    }
}
