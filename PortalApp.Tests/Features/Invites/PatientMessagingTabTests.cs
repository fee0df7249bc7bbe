using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Invites;

public sealed class PatientMessagingTabTests : PortalBunitContext
{
    private Client _emma = null!;
    private InviteService Invites => Host.Scoped<InviteService>();

    protected override async Task SeedAsync()
    {
        _emma = await Host.AddClientAsync();
        await Host.Scoped<TemplateService>().SaveAsync(new TemplateEditModel
        {
            Kind = TemplateKind.PortalInvite, Name = "Brief", Subject = "Portal for {{ patient.first_name }}", Body = "Short: {{ invite_link }}",
        }, Staff.Admin);
    }

    private IRenderedComponent<MudTestHost> RenderTab(int? clientId = null)
    {
        var tab = RenderWithProviders<PatientMessagingTab>((nameof(PatientMessagingTab.ClientId), clientId ?? _emma.Id));
        tab.WaitForAssertion(() => Assert.Contains("Patient portal", tab.Markup));
        return tab;
    }

    private static string[] Buttons(IRenderedComponent<MudTestHost> tab) =>
        tab.FindAll("[data-testid=patient-messaging-tab] button").Select(b => b.TextContent.Trim()).ToArray();

    private async Task SendInviteAsync() =>
        Assert.IsType<InviteSendResult.Sent>(await Invites.SendAsync(_emma.Id, (await Invites.GetStateAsync(_emma.Id))!.InviteTemplates.Single(t => t.IsDefault).Id, Staff.FrontDesk, false));

    [Fact]
    public void Not_invited_offers_send()
    {
        var tab = RenderTab();

        Assert.Contains("has not been invited to the patient portal yet", tab.Markup);
        Assert.Equal(["Send patient portal invite"], Buttons(tab));
    }

    [Fact]
    public async Task Pending_shows_the_invite_and_offers_resend_and_revoke()
    {
        await SendInviteAsync();

        var tab = RenderTab();

        Assert.Equal("Pending", tab.Find("[data-testid=invite-state]").TextContent.Trim());
        Assert.Contains("by Fran Desk, using the template “Friendly invite”", tab.Markup);
        Assert.Contains("Expires Wed 11 Mar 2026", tab.Markup);
        Assert.Equal("Email: queued", tab.Find("[data-testid=invite-delivery]").TextContent.Trim());
        Assert.Equal(["Re-send patient portal invite", "Revoke invite"], Buttons(tab));
    }

    [Fact]
    public async Task The_delivery_state_updates_by_itself_when_the_dispatcher_sends_the_email()
    {
        await SendInviteAsync();
        var tab = RenderTab();
        Assert.Equal("Email: queued", tab.Find("[data-testid=invite-delivery]").TextContent.Trim());

        await Host.Get<PortalApp.Email.OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);

        tab.WaitForAssertion(() => Assert.Equal("Email: sent Wed 4 Mar 2026, 10:00 AM", tab.Find("[data-testid=invite-delivery]").TextContent.Trim()));
    }

    [Fact]
    public async Task Expired_says_so_and_offers_resend_only()
    {
        await SendInviteAsync();
        Host.Time.Advance(TimeSpan.FromDays(8));

        var tab = RenderTab();

        Assert.Equal("Expired", tab.Find("[data-testid=invite-state]").TextContent.Trim());
        Assert.Equal(["Re-send patient portal invite"], Buttons(tab));
    }

    [Fact]
    public async Task Registered_offers_no_invite_actions()
    {
        await SendInviteAsync();
        await using (var db = await Host.DbAsync())
            await db.PortalInvites.ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InviteStatus.Registered));

        var tab = RenderTab();

        Assert.Contains("has registered for the patient portal", tab.Find("[data-testid=registered-notice]").TextContent);
        Assert.DoesNotContain(Buttons(tab), b => b.Contains("invite"));
    }

    [Fact]
    public async Task End_dated_says_why_and_offers_nothing()
    {
        var ended = await Host.AddClientAsync("Olivia", "Roy", email: "olivia@example.com", endDate: new DateOnly(2026, 2, 1));

        var tab = RenderTab(ended.Id);

        Assert.Contains("Portal access has ended: this client card has an end date (1 Feb 2026)", tab.Find("[data-testid=ended-notice]").TextContent);
        Assert.Empty(Buttons(tab));
    }

    [Fact]
    public async Task No_email_says_so_and_offers_to_edit_it()
    {
        var noEmail = await Host.AddClientAsync("Liam", "Chen", email: null);

        var tab = RenderTab(noEmail.Id);

        Assert.Contains("This client has no email address", tab.Find("[data-testid=email-problem]").TextContent);
        Assert.Equal(["Edit email"], tab.FindAll("[data-testid=email-problem] a, [data-testid=email-problem] button").Select(b => b.TextContent.Trim()));
        Assert.DoesNotContain("Send patient portal invite", Buttons(tab));
    }

    [Fact]
    public void The_preview_follows_the_template_choice_without_another_click()
    {
        var tab = RenderTab();
        Click(tab, "Send patient portal invite");
        Click(tab, "Preview");
        tab.WaitForAssertion(() => Assert.Equal("Test Clinic invites you to your patient portal", tab.Find("[data-testid=invite-preview-subject]").TextContent));

        tab.Find("[data-testid=invite-panel] .mud-input-control.mud-select").MouseDown();
        tab.WaitForAssertion(() => tab.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("Brief")).Click());

        tab.WaitForAssertion(() =>
        {
            Assert.Equal("Portal for Emma", tab.Find("[data-testid=invite-preview-subject]").TextContent);
            Assert.Contains("register/your-personal-link", tab.Find("iframe").GetAttribute("srcdoc"));
        });
    }

    [Fact]
    public async Task Send_from_the_panel_queues_one_email_and_shows_the_pending_invite()
    {
        var tab = RenderTab();
        Click(tab, "Send patient portal invite");

        tab.Find("[data-testid=invite-send]").Click();

        tab.WaitForAssertion(() => Assert.Equal("Pending", tab.Find("[data-testid=invite-state]").TextContent.Trim()));
        Assert.Empty(tab.FindAll("[data-testid=invite-panel]"));
        await using var db = await Host.DbAsync();
        Assert.Equal(1, await db.OutboxEmails.CountAsync());
    }

    private static void Click(IRenderedComponent<MudTestHost> tab, string text) =>
        tab.WaitForAssertion(() => tab.FindAll("button").Single(b => b.TextContent.Trim() == text).Click());

    [Fact]
    public async Task A_patient_without_an_account_but_with_a_full_access_caregiver_can_be_messaged_and_still_invited()
    {
        await CaregiverSeed.ActiveAsync(Host, _emma.Id, "sam.smith@example.com", first: "Sam", last: "Smith");

        var tab = RenderTab();

        Assert.Contains("Messages are read by their caregivers with full access: Sam Smith.", tab.Find("[data-testid=caregiver-readers]").TextContent);
        Assert.Contains("Send patient portal message", Buttons(tab));
        Assert.Contains("Send patient portal invite", Buttons(tab));
    }
}
