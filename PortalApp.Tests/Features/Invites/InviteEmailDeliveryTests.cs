using PortalApp.Security;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;
using PortalApp.Tests.Email;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Invites;

/// <summary>The invite email over real SMTP: what arrives, and that a retried failure still carries a working link.</summary>
[Trait("Providers", "Both")]
public sealed class InviteEmailDeliveryTests : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;
    private ServiceTestHost _host = null!;
    private Client _emma = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        var settings = OutboxTestData.SmtpSettings(_smtp.Port);
        settings["Outbox:MaxAttempts"] = "1";
        _host = await ServiceTestHost.StartAsync(settings);
        _emma = await _host.AddClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private async Task SendInviteAsync()
    {
        var template = (await _host.Scoped<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault);
        var result = await _host.Scoped<InviteService>().SendAsync(_emma.Id, template.Id, Staff.FrontDesk, resend: false);
        Assert.True(result is InviteSendResult.Sent, (result as InviteSendResult.Refused)?.Reason);
    }

    private async Task<string> TokenInAsync(ReceivedEmail email)
    {
        Assert.Equal(["emma.smith@example.com"], email.EnvelopeTo);
        var token = Regex.Match(email.Message.HtmlBody ?? "", "/register/([A-Za-z0-9_-]{43})\"").Groups[1].Value;
        Assert.Equal(token, Regex.Match(email.Message.TextBody ?? "", "/register/([A-Za-z0-9_-]{43})").Groups[1].Value);
        await using var db = await _host.DbAsync();
        Assert.Equal(SecretTokens.Hash(token), (await db.PortalInvites.SingleAsync(i => i.Status == InviteStatus.Pending)).TokenHash);
        return token;
    }

    [Fact]
    public async Task The_patient_gets_one_email_with_html_and_text_parts_and_a_link_whose_hash_is_stored()
    {
        await SendInviteAsync();

        await _host.DispatchAsync();

        var email = (await _smtp.WaitForMessagesAsync(1)).Single();
        Assert.Equal("Test Clinic invites you to your patient portal", email.Message.Subject);
        Assert.Single(email.Message.To.Mailboxes);
        await TokenInAsync(email);
        await using var db = await _host.DbAsync();
        Assert.Null((await db.OutboxEmails.SingleAsync()).ProtectedSecret);
    }

    [Fact]
    public async Task An_invite_email_that_failed_and_is_retried_by_an_admin_still_carries_its_working_link()
    {
        await SendInviteAsync();
        await _smtp.StopAsync();
        await _host.DispatchAsync();
        await using (var db = await _host.DbAsync())
            Assert.Equal(OutboxStatus.Failed, (await db.OutboxEmails.SingleAsync()).Status);
        await _smtp.StartAsync();

        var id = (await _host.Scoped<EmailLogService>().ListAsync(OutboxStatus.Failed, 0, 10)).Items.Single().Id;
        Assert.Equal(RetryResult.Queued, await _host.Scoped<EmailLogService>().RetryAsync(id, Staff.Admin));
        await _host.DispatchAsync();

        var email = (await _smtp.WaitForMessagesAsync(1)).Single();
        Assert.DoesNotContain(OutboxEmail.SecretMarker, email.Message.HtmlBody);
        await TokenInAsync(email);
    }
}
