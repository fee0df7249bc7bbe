using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Channels;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Channels;

/// <summary>The Messages log: every channel in one list, an email showing its outbox row's state.</summary>
[Trait("Providers", "Both")]
public sealed class MessagesLogServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private readonly Dictionary<string, long> _ids = [];
    private MessagesLogService Log => _host.Scoped<MessagesLogService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        await EmailAsync("email-pending", OutboxStatus.Pending, null);
        await EmailAsync("email-sent", OutboxStatus.Sent, null);
        await EmailAsync("email-failed", OutboxStatus.Failed, "550 5.1.1 Mailbox unavailable");
        await TextAsync("sms-queued", MessageChannel.Sms, OutboundMessageStatus.Queued, null);
        await TextAsync("sms-failed", MessageChannel.Sms, OutboundMessageStatus.Failed, "The number is not a valid phone number (21211).");
        await TextAsync("voice-delivered", MessageChannel.Voice, OutboundMessageStatus.Delivered, "Answered.");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task EmailAsync(string name, OutboxStatus status, string? error)
    {
        await using var db = await _host.DbAsync();
        var row = _host.Get<OutboundMessages>().EnqueueEmail(db, new OutgoingEmail($"{name}@example.com", "Emma Smith", "Your appointment", "<p>Hi</p>", "Hi", "reminder"), ClientLanguage.English);
        row.OutboxEmail!.Status = status;
        row.OutboxEmail.LastError = error;
        row.OutboxEmail.Attempts = status == OutboxStatus.Pending ? 0 : 1;
        await db.SaveChangesAsync();
        _ids[name] = row.Id;
        _host.Time.Advance(TimeSpan.FromMinutes(1));
    }

    private async Task TextAsync(string name, MessageChannel channel, OutboundMessageStatus status, string? detail)
    {
        var id = await _host.EnqueueTextAsync(channel: channel);
        await using var db = await _host.DbAsync();
        var row = await db.OutboundMessages.SingleAsync(m => m.Id == id);
        (row.Status, row.StatusDetail) = (status, detail);
        await db.SaveChangesAsync();
        _ids[name] = id;
        _host.Time.Advance(TimeSpan.FromMinutes(1));
    }

    private string Name(long id) => _ids.Single(p => p.Value == id).Key;

    [Fact]
    public async Task Lists_every_channel_newest_first_and_an_email_with_its_outbox_row_s_status_and_error()
    {
        var page = await Log.ListAsync(null, null, 0, 25, TestContext.Current.CancellationToken);

        Assert.Equal(6, page.TotalCount);
        Assert.Equal(["voice-delivered", "sms-failed", "sms-queued", "email-failed", "email-sent", "email-pending"], page.Items.Select(i => Name(i.Id)));
        var failedEmail = page.Items.Single(i => i.Id == _ids["email-failed"]);
        Assert.Equal((MessageChannel.Email, OutboundMessageStatus.Failed, "550 5.1.1 Mailbox unavailable", 1), (failedEmail.Channel, failedEmail.Status, failedEmail.Reason, failedEmail.Attempts));
        Assert.Equal(OutboundMessageStatus.Queued, page.Items.Single(i => i.Id == _ids["email-pending"]).Status);
        Assert.Equal(("Emma Smith", "email-sent@example.com"), (page.Items.Single(i => i.Id == _ids["email-sent"]).RecipientName, page.Items.Single(i => i.Id == _ids["email-sent"]).Recipient));
    }

    [Theory]
    [InlineData(null, OutboundMessageStatus.Failed, new[] { "sms-failed", "email-failed" })]
    [InlineData(null, OutboundMessageStatus.Queued, new[] { "sms-queued", "email-pending" })]
    [InlineData(null, OutboundMessageStatus.Delivered, new[] { "voice-delivered" })]
    [InlineData(MessageChannel.Email, null, new[] { "email-failed", "email-sent", "email-pending" })]
    [InlineData(MessageChannel.Email, OutboundMessageStatus.Sent, new[] { "email-sent" })]
    [InlineData(MessageChannel.Sms, OutboundMessageStatus.Failed, new[] { "sms-failed" })]
    [InlineData(MessageChannel.Voice, OutboundMessageStatus.Failed, new string[0])]
    public async Task Filters_by_channel_and_by_status_as_shown(MessageChannel? channel, OutboundMessageStatus? status, string[] expected)
    {
        var page = await Log.ListAsync(channel, status, 0, 25, TestContext.Current.CancellationToken);

        Assert.Equal(expected, page.Items.Select(i => Name(i.Id)));
        Assert.Equal(expected.Length, page.TotalCount);
    }

    [Fact]
    public async Task Pages_hold_the_size_asked_for_and_never_more_than_200()
    {
        var second = await Log.ListAsync(null, null, 1, 4, TestContext.Current.CancellationToken);
        Assert.Equal(["email-sent", "email-pending"], second.Items.Select(i => Name(i.Id)));

        await using (var db = await _host.DbAsync())
        {
            var outbound = _host.Get<OutboundMessages>();
            for (var i = 0; i < 200; i++)
                outbound.EnqueueText(db, new OutgoingText(MessageChannel.Sms, TextTestData.Patient, "Hello", "test", ClientLanguage.English));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var huge = await Log.ListAsync(null, null, 0, 100_000, TestContext.Current.CancellationToken);
        Assert.Equal((MessagesLogService.MaxPageSize, 206), (huge.Items.Count, huge.TotalCount));
    }
}
