using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Email;

/// <summary>The dispatcher against a real SMTP server through the app's MailKit transport.</summary>
[Trait("Providers", "Both")]
public sealed class OutboxDispatcherSmtpTests : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        _host = await ServiceTestHost.StartAsync(OutboxTestData.SmtpSettings(_smtp.Port));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task A_queued_email_is_delivered_with_its_subject_recipient_and_both_parts_and_marked_sent()
    {
        var id = await _host.EnqueueAsync("emma.smith@example.com", "Your patient portal invitation");

        Assert.Equal(1, await _host.DispatchAsync());

        var received = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        var message = received.Message;
        Assert.Equal(["emma.smith@example.com"], received.EnvelopeTo);
        Assert.Equal("Your patient portal invitation", message.Subject);
        Assert.Equal("emma.smith@example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("portal@clinic.example", Assert.Single(message.From.Mailboxes).Address);
        Assert.Contains($"href=\"{OutboxTestData.Link}\"", message.HtmlBody);
        Assert.Contains("Open your portal.", message.TextBody);

        var row = await _host.OutboxRowAsync(id);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(_host.UtcNow(), row.SentAtUtc);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.LastError);
        Assert.Equal(row.MessageId, message.MessageId);
    }

    [Fact]
    public async Task A_sent_email_is_not_sent_again()
    {
        await _host.EnqueueAsync();
        await _host.DispatchAsync();
        _host.Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(0, await _host.DispatchAsync());
        Assert.Single(_smtp.Received);
        Assert.Equal(1, _smtp.SessionCount);
    }

    [Fact]
    public async Task A_batch_of_due_emails_goes_out_over_one_smtp_connection()
    {
        var addresses = Enumerable.Range(1, 5).Select(i => $"patient{i}@example.com").ToArray();
        foreach (var address in addresses)
            await _host.EnqueueAsync(address);

        Assert.Equal(5, await _host.DispatchAsync());

        var received = await _smtp.WaitForMessagesAsync(5);
        Assert.Equal(addresses, received.SelectMany(r => r.EnvelopeTo));
        Assert.Single(received.Select(r => r.SessionId).Distinct());
        Assert.Equal(1, _smtp.SessionCount);
    }

    [Fact]
    public async Task Batch_after_batch_shares_one_connection_up_to_the_messages_per_connection_cap()
    {
        await using var host = await ServiceTestHost.StartAsync(new Dictionary<string, string?>(OutboxTestData.SmtpSettings(_smtp.Port))
        {
            ["Outbox:BatchSize"] = "2",
            ["Outbox:MessagesPerConnection"] = "4",
        });
        var addresses = Enumerable.Range(1, 7).Select(i => $"patient{i}@example.com").ToArray();
        foreach (var address in addresses)
            await host.EnqueueAsync(address);

        // Two batches of 2 over the first connection (a third would pass the cap of 4), then the last 3 over a second.
        Assert.Equal(4, await host.DispatchAsync());
        Assert.Equal(3, await host.DispatchAsync());
        Assert.Equal(0, await host.DispatchAsync());

        var received = await _smtp.WaitForMessagesAsync(7);
        Assert.Equal(addresses, received.SelectMany(r => r.EnvelopeTo));
        Assert.Equal([4, 3], received.GroupBy(r => r.SessionId).Select(g => g.Count()));
        Assert.Equal(2, _smtp.SessionCount);
    }

    [Fact]
    public async Task A_recipient_refused_with_550_fails_for_good_while_the_rest_of_the_batch_is_sent()
    {
        var first = await _host.EnqueueAsync("amy@example.com");
        var refused = await _host.EnqueueAsync("reject.me@example.com");
        var last = await _host.EnqueueAsync("ben@example.com");

        Assert.Equal(3, await _host.DispatchAsync());

        var failed = await _host.OutboxRowAsync(refused);
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.StartsWith("550", failed.LastError);
        Assert.Contains("mailbox unavailable", failed.LastError);
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(first)).Status);
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(last)).Status);
        Assert.Equal(["amy@example.com", "ben@example.com"], _smtp.Received.SelectMany(r => r.EnvelopeTo));
        Assert.Equal(1, _smtp.SessionCount);

        _host.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await _host.DispatchAsync());
    }
}
