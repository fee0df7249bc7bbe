using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Email;

/// <summary>The mail server is down: nothing is lost, retries back off, and the dispatcher gives up after MaxAttempts.</summary>
[Trait("Providers", "Both")]
public sealed class OutboxDispatcherOutageTests : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        var settings = OutboxTestData.SmtpSettings(_smtp.Port);
        settings["Outbox:MaxAttempts"] = "3";
        settings["Outbox:RetryBaseDelaySeconds"] = "30";
        settings["Outbox:RetryMaxDelayMinutes"] = "60";
        _host = await ServiceTestHost.StartAsync(settings);
        await _smtp.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task While_the_server_is_down_the_email_stays_pending_with_the_error_and_a_backoff()
    {
        var id = await _host.EnqueueAsync();
        var now = _host.UtcNow();

        Assert.Equal(1, await _host.DispatchAsync());

        var row = await _host.OutboxRowAsync(id);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(now, row.LastAttemptAtUtc);
        Assert.StartsWith("Cannot connect to the mail server", row.LastError);
        Assert.InRange(row.NextAttemptAtUtc, now.AddSeconds(30 * 0.8), now.AddSeconds(30 * 1.2));
        Assert.Null(row.SentAtUtc);
    }

    [Fact]
    public async Task When_the_server_is_back_the_email_is_sent_at_its_retry_time_and_not_before()
    {
        var id = await _host.EnqueueAsync();
        await _host.DispatchAsync();
        await _smtp.StartAsync();

        await _host.AdvanceToNextAttemptAsync(id, TimeSpan.FromSeconds(-1));
        Assert.Equal(0, await _host.DispatchAsync());
        Assert.Equal(0, _smtp.SessionCount);

        _host.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await _host.DispatchAsync());

        var received = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        Assert.Equal(["emma.smith@example.com"], received.EnvelopeTo);
        var row = await _host.OutboxRowAsync(id);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(2, row.Attempts);
        Assert.Equal(_host.UtcNow(), row.SentAtUtc);
        Assert.Null(row.LastError);
    }

    [Fact]
    public async Task After_MaxAttempts_transient_failures_the_email_is_marked_failed_and_left_alone()
    {
        var id = await _host.EnqueueAsync();

        await _host.DispatchAsync();
        await _host.AdvanceToNextAttemptAsync(id);
        await _host.DispatchAsync();
        var beforeLast = await _host.OutboxRowAsync(id);
        Assert.Equal((OutboxStatus.Pending, 2), (beforeLast.Status, beforeLast.Attempts));
        Assert.True(beforeLast.NextAttemptAtUtc - _host.UtcNow() >= TimeSpan.FromSeconds(60 * 0.8), "the second retry waits about twice as long");

        await _host.AdvanceToNextAttemptAsync(id);
        Assert.Equal(1, await _host.DispatchAsync());

        var row = await _host.OutboxRowAsync(id);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(3, row.Attempts);
        Assert.StartsWith("Gave up after 3 attempts. Last error: Cannot connect to the mail server", row.LastError);

        await _smtp.StartAsync();
        _host.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await _host.DispatchAsync());
        Assert.Empty(_smtp.Received);
    }
}
