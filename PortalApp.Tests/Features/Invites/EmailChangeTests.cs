using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Caregivers;
using PortalApp.Features.Clients;
using PortalApp.Features.Invites;
using PortalApp.Features.Registration;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Invites;

/// <summary>Staff correct a mistyped email: a link already on its way to the old address must not open the portal.</summary>
[Trait("Providers", "Both")]
public sealed class EmailChangeTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _emma = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync(email: "emma.smtih@example.com");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<string> InviteEmmaAsync()
    {
        var template = (await _host.Scoped<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault);
        Assert.IsType<InviteSendResult.Sent>(await _host.Scoped<InviteService>().SendAsync(_emma.Id, template.Id, Staff.FrontDesk, resend: false));
        await using var db = await _host.DbAsync();
        var email = await db.OutboxEmails.OrderByDescending(e => e.Id).FirstAsync();
        return Regex.Match(_host.Get<OutboxSecrets>().Reveal(email).Html, "/register/([A-Za-z0-9_-]{43})").Groups[1].Value;
    }

    private async Task<ClientSaveResult> ChangeEmailAsync(int clientId, string email)
    {
        var clients = _host.Scoped<ClientService>();
        var model = (await clients.GetAsync(clientId))!.ToEditModel();
        model.Email = email;
        return await clients.UpdateAsync(clientId, model, Staff.FrontDesk);
    }

    private static RegistrationForm Form() => new()
    {
        DateOfBirth = "1984-03-07", Password = PortalForms.PatientPassword, ConfirmPassword = PortalForms.PatientPassword, AcceptTerms = true,
    };

    [Fact]
    public async Task Correcting_the_email_cancels_the_open_invite_in_the_same_save_and_tells_staff_to_re_send()
    {
        var token = await InviteEmmaAsync();

        var saved = Assert.IsType<ClientSaveResult.Saved>(await ChangeEmailAsync(_emma.Id, "emma.smith@example.com"));

        Assert.StartsWith("The email address changed, so the open portal invite was cancelled", saved.Notice);
        await using var db = await _host.DbAsync();
        var invite = await db.PortalInvites.SingleAsync();
        Assert.Equal((InviteStatus.Cancelled, "emma.smtih@example.com"), (invite.Status, invite.SentToEmail));
        Assert.IsType<RegistrationResult.Unusable>(await _host.Scoped<RegistrationService>().RegisterAsync(token, Form()));
        Assert.Equal(0, await db.Users.CountAsync(u => u.ClientId == _emma.Id));
    }

    [Fact]
    public async Task Other_edits_leave_the_invite_open()
    {
        await InviteEmmaAsync();
        var clients = _host.Scoped<ClientService>();
        var model = (await clients.GetAsync(_emma.Id))!.ToEditModel();
        model.PreferredName = "Em";

        Assert.Null(Assert.IsType<ClientSaveResult.Saved>(await clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk)).Notice);
        await using var db = await _host.DbAsync();
        Assert.Equal(InviteStatus.Pending, (await db.PortalInvites.SingleAsync()).Status);
    }

    [Fact]
    public async Task Registration_refuses_an_invite_whose_address_is_no_longer_the_cards_however_it_changed()
    {
        var token = await InviteEmmaAsync();
        await using (var db = await _host.DbAsync())
            await db.Clients.Where(c => c.Id == _emma.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Email, "someone.else@example.com"));

        Assert.IsType<RegistrationResult.Unusable>(await _host.Scoped<RegistrationService>().RegisterAsync(token, Form()));
    }

    [Fact]
    public async Task A_caregiver_whose_own_card_gets_a_new_email_has_the_open_invite_cancelled_and_the_re_send_goes_to_the_new_address()
    {
        var parent = await _host.AddClientAsync("Maya", "Rivera", new DateOnly(1980, 1, 2), "maya.old@example.com", null);
        var template = await CaregiverInvites.DefaultTemplateAsync(_host.Services);
        var sent = await _host.Scoped<CaregiverInviteService>().SendAsync(_emma.Id, CaregiverInvites.Form(template, email: null, caregiverClientId: parent.Id), Staff.FrontDesk);
        var accessId = Assert.IsType<CaregiverSendResult.Sent>(sent).AccessId;

        Assert.NotNull(Assert.IsType<ClientSaveResult.Saved>(await ChangeEmailAsync(parent.Id, "maya.new@example.com")).Notice);
        Assert.IsType<Outcome.Done>(await _host.Scoped<CaregiverInviteService>().ResendAsync(_emma.Id, accessId, Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        var invites = await db.PortalInvites.Where(i => i.CaregiverAccessId == accessId).OrderBy(i => i.Id).ToListAsync();
        Assert.Equal([(InviteStatus.Cancelled, "maya.old@example.com"), (InviteStatus.Pending, "maya.new@example.com")], invites.Select(i => (i.Status, i.SentToEmail)));
        Assert.Equal("maya.new@example.com", (await db.OutboxEmails.OrderByDescending(e => e.Id).FirstAsync()).ToAddress);
    }
}
