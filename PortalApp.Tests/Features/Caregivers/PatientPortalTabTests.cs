using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Caregivers;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Caregivers;

public sealed class PatientPortalTabTests : PortalBunitContext
{
    private Client _child = null!;

    protected override async Task SeedAsync() =>
        _child = await Host.AddClientAsync("Lily", "Rivera", new DateOnly(2016, 6, 2), email: null, phone: null);

    private IRenderedComponent<MudTestHost> RenderTab()
    {
        var tab = RenderWithProviders<PatientPortalTab>((nameof(PatientPortalTab.ClientId), _child.Id));
        tab.WaitForAssertion(() => Assert.Contains("Patient portal access", tab.Markup));
        return tab;
    }

    private IRenderedComponent<MudTestHost> OpenManualForm()
    {
        var tab = RenderTab();
        tab.Find("[data-testid=open-caregiver-invite]").Click();
        tab.FindAll("input[type=radio]")[1].Click(); // "Enter the caregiver's details"
        tab.WaitForAssertion(() => Assert.NotEmpty(tab.FindAll("[data-testid=caregiver-first-name]")));
        return tab;
    }

    private static void FillManual(IRenderedComponent<MudTestHost> tab)
    {
        tab.Find("[data-testid=caregiver-first-name]").Change("Anna");
        tab.Find("[data-testid=caregiver-last-name]").Change("Rivera");
        tab.Find("[data-testid=caregiver-email]").Change("anna.rivera@example.com");
        tab.Find("[data-testid=caregiver-relationship]").Closest(".mud-input-control")!.MouseDown();
        tab.WaitForAssertion(() => Assert.NotEmpty(tab.FindAll(".mud-list-item")));
        tab.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("Parent or guardian")).Click();
    }

    private async Task<List<CaregiverAccess>> AccessesAsync()
    {
        await using var db = await Host.DbAsync();
        return await db.CaregiverAccesses.AsNoTracking().ToListAsync();
    }

    [Fact]
    public void A_patient_without_caregivers_shows_their_own_status_and_offers_the_invite()
    {
        var tab = RenderTab();

        Assert.Contains("Not invited", tab.Find("[data-testid=own-portal-status]").TextContent);
        Assert.Contains("No caregiver has access to Lily Rivera's portal.", tab.Markup);
        Assert.Equal("Send caregiver patient portal invite", tab.Find("[data-testid=open-caregiver-invite]").TextContent.Trim());
    }

    [Fact]
    public void Required_fields_are_marked_before_anyone_types()
    {
        var tab = OpenManualForm();

        Assert.Contains("Fields with a pink background and a * are required.", tab.Markup);
        foreach (var field in new[] { "caregiver-first-name", "caregiver-last-name", "caregiver-email", "caregiver-relationship" })
        {
            var input = tab.Find($"[data-testid={field}]");
            var control = input.Closest(".mud-input-control")!;
            Assert.Contains("caregiver-required", control.ClassName); // the pink background
            Assert.Contains("mud-input-required", control.ClassName); // MudBlazor's * after the label
            Assert.True(input.HasAttribute("required"));
            Assert.NotEmpty(tab.Find($"label[for={input.Id}]").TextContent.Trim());
        }
        Assert.Empty(tab.FindAll(".mud-input-error"));
    }

    [Fact]
    public async Task Sending_an_empty_form_names_each_missing_field_and_opens_no_dialog()
    {
        var tab = OpenManualForm();

        tab.Find("[data-testid=caregiver-send]").Click();

        tab.WaitForAssertion(() => Assert.Contains("Enter the caregiver's first name.", tab.Markup));
        Assert.Contains("Enter the caregiver's last name.", tab.Markup);
        Assert.Contains("Enter the caregiver's email address: the invite goes there.", tab.Markup);
        Assert.Contains("Choose how the caregiver is related to the patient.", tab.Markup);
        Assert.Empty(tab.FindAll("[data-testid=caregiver-confirm-summary]"));
        Assert.Empty(await AccessesAsync());
    }

    [Fact]
    public async Task Cancel_in_the_confirmation_sends_nothing_and_keeps_the_form_filled()
    {
        var tab = OpenManualForm();
        FillManual(tab);

        tab.Find("[data-testid=caregiver-send]").Click();
        tab.WaitForAssertion(() => Assert.Contains(
            "Anna Rivera (anna.rivera@example.com) will get full access (appointments, messages and intake forms) to Lily Rivera's patient portal, as Lily's parent or guardian.",
            System.Text.RegularExpressions.Regex.Replace(tab.Find("[data-testid=caregiver-confirm-summary]").TextContent, @"\s+", " ")));
        tab.Find("[data-testid=caregiver-confirm-cancel]").Click();

        tab.WaitForAssertion(() => Assert.Empty(tab.FindAll("[data-testid=caregiver-confirm-summary]")));
        Assert.Empty(await AccessesAsync());
        await using (var db = await Host.DbAsync())
            Assert.Empty(await db.OutboxEmails.ToListAsync());
        Assert.Equal("Anna", tab.Find("[data-testid=caregiver-first-name]").GetAttribute("value"));
        Assert.Equal("anna.rivera@example.com", tab.Find("[data-testid=caregiver-email]").GetAttribute("value"));
    }

    [Fact]
    public async Task OK_in_the_confirmation_sends_the_invite_and_lists_the_caregiver()
    {
        var tab = OpenManualForm();
        FillManual(tab);

        tab.Find("[data-testid=caregiver-send]").Click();
        tab.WaitForAssertion(() => tab.Find("[data-testid=caregiver-confirm-ok]"));
        tab.Find("[data-testid=caregiver-confirm-ok]").Click();

        tab.WaitForAssertion(() => Assert.Contains("Invited", tab.Find("[data-testid=caregiver-status]").TextContent));
        var access = Assert.Single(await AccessesAsync());
        Assert.Equal(("Anna Rivera", CaregiverAccessStatus.Invited, CaregiverAccessLevel.Full), (access.FullName, access.Status, access.Level));
        Assert.Contains("Anna Rivera", tab.Find("[data-testid=caregiver-list]").TextContent);
        Assert.Contains("Caregiver invite sent.", tab.Markup);
    }

    [Fact]
    public async Task Ending_an_active_caregivers_access_asks_first_then_shows_it_ended()
    {
        var sent = await Host.Scoped<CaregiverInviteService>().SendAsync(_child.Id, new CaregiverInviteForm
        {
            FirstName = "Anna", LastName = "Rivera", Email = "anna.rivera@example.com", Relationship = CaregiverRelationship.ParentGuardian,
            TemplateId = (await Host.Scoped<PortalApp.Features.Templates.TemplateService>().ListAsync(TemplateKind.CaregiverInvite)).Single().Id,
        }, Staff.FrontDesk);
        await using (var db = await Host.DbAsync())
            await db.CaregiverAccesses.Where(a => a.Id == ((CaregiverSendResult.Sent)sent).AccessId).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Status, CaregiverAccessStatus.Active).SetProperty(a => a.ActivatedAtUtc, Host.Time.GetUtcNow().UtcDateTime));
        var tab = RenderTab();
        Assert.Contains("Active", tab.Find("[data-testid=caregiver-status]").TextContent);

        tab.FindAll("button").Single(b => b.TextContent.Trim() == "End access").Click();
        tab.WaitForAssertion(() => Assert.Contains("End the caregiver's access?", tab.Markup));
        tab.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "End access").Click();

        tab.WaitForAssertion(() => Assert.Contains("Ended", tab.Find("[data-testid=caregiver-status]").TextContent));
        Assert.Equal(CaregiverAccessStatus.Ended, Assert.Single(await AccessesAsync()).Status);
    }

    [Fact]
    public async Task An_end_dated_patient_gets_no_caregiver_invite_button()
    {
        await using (var db = await Host.DbAsync())
            await db.Clients.Where(c => c.Id == _child.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, new DateOnly(2026, 3, 1)));

        var tab = RenderTab();

        Assert.Contains("Ended", tab.Find("[data-testid=own-portal-status]").TextContent);
        Assert.Contains(CaregiverMessages.PatientEnded, tab.Markup);
        Assert.Empty(tab.FindAll("[data-testid=open-caregiver-invite]"));
    }

    [Fact]
    public async Task The_caregivers_own_card_lists_who_they_care_for()
    {
        var maya = await Host.AddClientAsync("Maya", "Rivera", new DateOnly(1985, 9, 21), email: "maya.rivera@example.com");
        var template = (await Host.Scoped<PortalApp.Features.Templates.TemplateService>().ListAsync(TemplateKind.CaregiverInvite)).Single().Id;
        Assert.IsType<CaregiverSendResult.Sent>(await Host.Scoped<CaregiverInviteService>().SendAsync(_child.Id, new CaregiverInviteForm
        {
            CaregiverClientId = maya.Id, Relationship = CaregiverRelationship.ParentGuardian, Level = CaregiverAccessLevel.AppointmentsOnly, TemplateId = template,
        }, Staff.FrontDesk));

        var tab = RenderWithProviders<PatientPortalTab>((nameof(PatientPortalTab.ClientId), maya.Id));

        tab.WaitForAssertion(() => Assert.Contains("Maya Rivera is a caregiver for", tab.Markup));
        var line = System.Text.RegularExpressions.Regex.Replace(tab.Find("[data-testid=cares-for] li").TextContent, @"\s+", " ").Trim();
        Assert.Equal("Lily Rivera · as parent or guardian · Appointments only · invited", line);
        Assert.Equal($"/clients/{_child.Id}", tab.Find("[data-testid=cares-for] a").GetAttribute("href"));
    }

    [Fact]
    public async Task The_invite_emails_delivery_updates_by_itself_when_the_dispatcher_sends_it()
    {
        var template = (await Host.Scoped<PortalApp.Features.Templates.TemplateService>().ListAsync(TemplateKind.CaregiverInvite)).Single().Id;
        Assert.IsType<CaregiverSendResult.Sent>(await Host.Scoped<CaregiverInviteService>().SendAsync(_child.Id, CaregiverInvites.Form(template), Staff.FrontDesk));
        var tab = RenderTab();
        Assert.Equal("Email: queued", tab.Find("[data-testid=caregiver-invite-email]").TextContent.Trim());

        await Host.Get<PortalApp.Email.OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);

        tab.WaitForAssertion(() => Assert.Equal("Email: sent Wed 4 Mar 2026, 10:00 AM", tab.Find("[data-testid=caregiver-invite-email]").TextContent.Trim()));
    }
}
