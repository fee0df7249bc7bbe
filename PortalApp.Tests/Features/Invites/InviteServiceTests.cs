using PortalApp.Security;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clients;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Invites;

[Trait("Providers", "Both")]
public sealed class InviteServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private int _defaultTemplate;
    private InviteService Invites => _host.Scoped<InviteService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
        _defaultTemplate = (await _host.Scoped<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault).Id;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task<InviteSendResult> Send(bool resend = false, int? clientId = null) =>
        Invites.SendAsync(clientId ?? _emma.Id, _defaultTemplate, Staff.FrontDesk, resend);

    [Fact]
    public async Task Sending_records_the_invite_and_queues_its_email_in_one_go()
    {
        var sent = Assert.IsType<InviteSendResult.Sent>(await Send()).Invite;

        Assert.Equal((InviteStatus.Pending, "Fran Desk", "Friendly invite"), (sent.Status, sent.SentByName, sent.TemplateName));
        Assert.Equal(ServiceTestHost.Start.UtcDateTime.AddDays(7), sent.ExpiresAtUtc);
        Assert.Equal(OutboxStatus.Pending, sent.DeliveryStatus);
        await using var db = await _host.DbAsync();
        var email = await db.OutboxEmails.SingleAsync();
        Assert.Equal(("emma.smith@example.com", "invite", _emma.Id), (email.ToAddress, email.Kind, email.ClientId));
        Assert.Contains("https://portal.clinic.example/register/" + OutboxEmail.SecretMarker, email.HtmlBody);
        Assert.Contains("Wednesday 11 March 2026", email.TextBody);
        Assert.NotNull(email.ProtectedSecret);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.InviteSend);
        Assert.Equal(("staff-frontdesk", _emma.Id), (audit.StaffUserId, audit.ClientId));
    }

    [Fact]
    public async Task The_token_is_256_random_bits_sent_once_and_stored_only_as_its_hash()
    {
        Assert.IsType<InviteSendResult.Sent>(await Send());
        await using var db = await _host.DbAsync();
        var email = await db.OutboxEmails.SingleAsync();
        var invite = await db.PortalInvites.SingleAsync();

        var (html, _, _) = _host.Get<PortalApp.Email.OutboxSecrets>().Reveal(email);
        var token = System.Text.RegularExpressions.Regex.Match(html, "/register/([A-Za-z0-9_-]+)\"").Groups[1].Value;
        Assert.Equal(43, token.Length); // 32 bytes in unpadded base64url
        Assert.Equal(SecretTokens.Hash(token), invite.TokenHash);
        Assert.Equal(32, invite.TokenHash.Length);
        var everything = string.Join("|", email.HtmlBody, email.TextBody, email.ProtectedSecret, invite.BodyHtml, invite.BodyText,
            string.Join("|", await db.AuditEvents.Select(a => a.Details).ToListAsync()));
        Assert.DoesNotContain(token, everything);
        Assert.Contains("/register/your-personal-link", invite.BodyHtml);
    }

    [Fact]
    public async Task Tokens_differ_every_time()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => SecretTokens.NewToken()).ToHashSet();

        Assert.Equal(100, tokens.Count);
    }

    [Fact]
    public async Task A_second_send_while_one_is_pending_is_refused_with_a_clear_message()
    {
        await Send();

        var second = Assert.IsType<InviteSendResult.Refused>(await Send());

        Assert.Equal(InviteMessages.AlreadyPending, second.Reason);
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.OutboxEmails.CountAsync());
    }

    [Fact]
    public async Task Parallel_sends_for_one_patient_make_one_invite_and_one_email()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Send())));

        Assert.Single(results.OfType<InviteSendResult.Sent>());
        Assert.All(results.OfType<InviteSendResult.Refused>(), r => Assert.Equal(InviteMessages.AlreadyPending, r.Reason));
        await using var db = await _host.DbAsync();
        Assert.Equal((1, 1), (await db.PortalInvites.CountAsync(), await db.OutboxEmails.CountAsync()));
    }

    [Fact]
    public async Task The_database_itself_refuses_a_second_pending_invite()
    {
        await Send();
        await using var db = await _host.DbAsync();
        var copy = await db.PortalInvites.AsNoTracking().SingleAsync();
        copy.Id = 0;
        copy.TokenHash = SecretTokens.Hash("another");
        copy.OutboxEmailId = null;
        db.PortalInvites.Add(copy);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task An_invite_expires_with_the_clinic_setting_and_can_then_be_resent()
    {
        await Send();
        _host.Time.Advance(TimeSpan.FromDays(7));

        var state = (await Invites.GetStateAsync(_emma.Id))!;
        Assert.True(state.HasExpiredInvite);
        Assert.False(state.HasOpenInvite);

        Assert.IsType<InviteSendResult.Sent>(await Send());
        await using var db = await _host.DbAsync();
        Assert.Equal([InviteStatus.Expired, InviteStatus.Pending], await db.PortalInvites.OrderBy(i => i.Id).Select(i => i.Status).ToListAsync());
    }

    [Fact]
    public async Task Re_sending_supersedes_the_older_invite_so_its_link_stops_working()
    {
        await Send();
        _host.Time.Advance(TimeSpan.FromHours(1));

        Assert.IsType<InviteSendResult.Sent>(await Send(resend: true));

        await using var db = await _host.DbAsync();
        var invites = await db.PortalInvites.OrderBy(i => i.Id).ToListAsync();
        Assert.Equal([InviteStatus.Superseded, InviteStatus.Pending], invites.Select(i => i.Status));
        Assert.NotEqual(invites[0].TokenHash, invites[1].TokenHash);
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.InviteResend));
    }

    [Fact]
    public async Task Revoking_ends_the_pending_invite_and_is_audited()
    {
        await Send();

        Assert.IsType<Outcome.Done>(await Invites.RevokeAsync(_emma.Id, Staff.Admin));

        var state = (await Invites.GetStateAsync(_emma.Id))!;
        Assert.Equal((InviteStatus.Revoked, "Alex Admin"), (state.LatestInvite!.Status, state.LatestInvite.EndedByName));
        Assert.Equal(InviteMessages.NothingToRevoke, Assert.IsType<Outcome.Refused>(await Invites.RevokeAsync(_emma.Id, Staff.Admin)).Reason);
    }

    [Fact]
    public async Task End_dating_the_client_cancels_the_pending_invite_in_the_same_save()
    {
        await Send();
        var clients = _host.Scoped<ClientService>();
        var model = (await clients.GetAsync(_emma.Id))!.ToEditModel();
        model.EndDate = ServiceTestHost.Start.UtcDateTime.Date;

        Assert.IsType<ClientSaveResult.Saved>(await clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        Assert.Equal(InviteStatus.Cancelled, (await db.PortalInvites.SingleAsync()).Status);
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.InviteCancel && a.ClientId == _emma.Id));
    }

    [Fact]
    public async Task An_ended_client_cannot_be_invited_and_the_refusal_is_audited()
    {
        var ended = await _host.AddClientAsync("Olivia", "Roy", email: "olivia@example.com", endDate: new DateOnly(2026, 3, 4));

        var result = Assert.IsType<InviteSendResult.Refused>(await Send(clientId: ended.Id));

        Assert.Equal(InviteMessages.ClientEnded, result.Reason);
        await using var db = await _host.DbAsync();
        Assert.False(await db.OutboxEmails.AnyAsync());
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.InviteSend && a.Outcome == AuditOutcome.Refused));
    }

    [Theory]
    [InlineData(null, "no email address")]
    [InlineData("olivia@example.com, boss@example.com", "can't be used")]
    public async Task A_client_without_a_usable_email_is_refused_and_nothing_is_queued(string? email, string message)
    {
        var client = await _host.AddClientAsync("Olivia", "Roy", email: email);

        var result = Assert.IsType<InviteSendResult.Refused>(await Send(clientId: client.Id));

        Assert.Contains(message, result.Reason);
        await using var db = await _host.DbAsync();
        Assert.False(await db.OutboxEmails.AnyAsync());
    }

    [Fact]
    public async Task The_preview_shows_this_patients_data_and_the_masked_link()
    {
        var preview = Assert.IsType<TemplateEmailResult.Rendered>(await Invites.PreviewAsync(_emma.Id, _defaultTemplate, Staff.FrontDesk)).Content;

        Assert.Equal("Test Clinic invites you to your patient portal", preview.Subject);
        Assert.Contains("Hello Emma,", preview.Html);
        Assert.Contains("https://portal.clinic.example/register/your-personal-link", preview.Html);
        Assert.Contains("Fran Desk at Test Clinic", preview.Text);
        await using var db = await _host.DbAsync();
        Assert.False(await db.PortalInvites.AnyAsync());
    }
}
