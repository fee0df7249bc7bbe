using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Channels;

/// <summary>The text and voice dispatcher: each message at most once, across instances and crashes.</summary>
[Trait("Providers", "Both")]
public sealed class TextDispatcherTests : IAsyncLifetime
{
    private LoopbackTwilio _twilio = null!;
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _twilio = await LoopbackTwilio.StartAsync();
        _host = await ServiceTestHost.StartAsync(Settings("web-1"));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    private Dictionary<string, string?> Settings(string instance, params (string Key, string Value)[] more)
    {
        var settings = _twilio.Settings;
        settings["Instance:Name"] = instance;
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task A_text_in_flight_when_its_dispatcher_died_is_recorded_uncertain_by_another_instance_once_the_lease_ends_and_never_sent_again()
    {
        await using var second = await _host.StartSiblingAsync(Settings("web-2"));
        var id = await _host.EnqueueTextAsync(body: TextTestData.ReminderWithLink, secret: "token-4711");
        // Twilio has the request and has not answered when the first instance dies.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _twilio.BeforeAnswer = _ => release.Task;
        using var killed = new CancellationTokenSource();
        var firstRun = _host.RunTextsAsync(killed.Token);
        await _twilio.WaitForRequestsAsync(1);
        await killed.CancelAsync(); // nothing the first instance does after this point is recorded
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => firstRun);
        release.SetResult();

        second.Time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(0, await second.RunTextsAsync());
        var held = await second.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Queued, "web-1"), (held.Status, held.ClaimedBy));

        second.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await second.RunTextsAsync());
        second.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await second.RunTextsAsync());

        Assert.Single(_twilio.Requests);
        var row = await second.MessageAsync(id);
        Assert.Equal(OutboundMessageStatus.Uncertain, row.Status);
        Assert.Equal("The app stopped while handing this to the provider (at 2026-03-04 15:00:00 UTC): it may or may not have gone, so it was not sent again.", row.StatusDetail);
        Assert.Null(row.ProtectedSecret);
        Assert.Null(row.ClaimedBy);
    }

    [Fact]
    public async Task Two_instances_dispatching_at_once_send_every_due_text_exactly_once()
    {
        await using var first = await ServiceTestHost.StartAsync(Settings("web-1", ("Messaging:BatchSize", "3")));
        await using var second = await first.StartSiblingAsync(Settings("web-2", ("Messaging:BatchSize", "3")));
        // Both have run their claim query once, so neither starts the race compiling it.
        Assert.Equal(0, await first.RunTextsAsync());
        Assert.Equal(0, await second.RunTextsAsync());
        var numbers = Enumerable.Range(10, 20).Select(i => $"+141655501{i}").ToList();
        foreach (var number in numbers)
            await first.EnqueueTextAsync(to: number);

        using var barrier = new Barrier(2);
        Task<int> DispatchAll(ServiceTestHost host) => Task.Run(async () =>
        {
            barrier.SignalAndWait(TimeSpan.FromSeconds(10));
            int handled = 0, round;
            while ((round = await host.RunTextsAsync()) > 0)
                handled += round;
            return handled;
        });
        var handled = await Task.WhenAll(DispatchAll(first), DispatchAll(second));

        Assert.Equal(numbers.Order(), _twilio.Requests.Select(r => r.Form["To"]).Order());
        Assert.Equal(20, handled.Sum());
        Assert.All(handled, count => Assert.True(count > 0, $"Each instance should have sent some of the 20 (sent: {string.Join(", ", handled)})."));
        await using var db = await first.DbAsync();
        Assert.All(await db.OutboundMessages.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken), row =>
        {
            Assert.Equal((OutboundMessageStatus.Sent, 1, null), (row.Status, row.Attempts, row.ClaimedBy));
        });
    }

    [Fact]
    public async Task When_twilio_is_down_the_rest_of_the_batch_waits_as_long_instead_of_each_being_tried()
    {
        _twilio.FailNext(100, HttpStatusCode.ServiceUnavailable);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
            ids.Add(await _host.EnqueueTextAsync(to: $"+14165550{120 + i}"));

        Assert.Equal(1, await _host.RunTextsAsync());
        Assert.Equal(0, await _host.RunTextsAsync());

        Assert.Equal(4, _twilio.Requests.Count); // one text: its first try and three retries
        var first = await _host.MessageAsync(ids[0]);
        foreach (var id in ids.Skip(1))
        {
            var waiting = await _host.MessageAsync(id);
            Assert.Equal((OutboundMessageStatus.Queued, 0, null), (waiting.Status, waiting.Attempts, waiting.ClaimedBy));
            Assert.Equal(first.NextAttemptAtUtc, waiting.NextAttemptAtUtc);
            Assert.Equal("Waiting: Twilio was unavailable (HTTP 503); it will be tried again later.", waiting.StatusDetail);
        }

        _twilio.ClearScript();
        await _host.AdvanceToNextTextAttemptAsync(ids[0]);
        Assert.Equal(3, await _host.RunTextsAsync());
        foreach (var id in ids)
            Assert.Equal(OutboundMessageStatus.Sent, (await _host.MessageAsync(id)).Status);
    }

    [Fact]
    public async Task A_text_that_keeps_failing_is_given_up_after_the_outbox_s_maximum_attempts()
    {
        await using var host = await ServiceTestHost.StartAsync(Settings("web-1", ("Outbox:MaxAttempts", "2"), ("Messaging:Twilio:AuthToken", "wrong")));
        var id = await host.EnqueueTextAsync();

        await host.RunTextsAsync();
        Assert.Equal(OutboundMessageStatus.Queued, (await host.MessageAsync(id)).Status);
        await host.AdvanceToNextTextAttemptAsync(id);
        await host.RunTextsAsync();

        var row = await host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Failed, 2), (row.Status, row.Attempts));
        Assert.StartsWith("Gave up after 2 attempts. Last error: Twilio refused the clinic's credentials", row.StatusDetail);
        Assert.Equal(2, _twilio.Requests.Count);
    }

    [Fact]
    public async Task A_send_does_not_start_with_less_than_two_timeouts_of_the_lease_left_and_the_rest_is_freed_at_once()
    {
        // Lease 20 s, Twilio timeout 5 s: a send starts only with 10 s of the lease left. Each send takes 6 s here.
        await using var host = await ServiceTestHost.StartAsync(Settings("web-1", ("Messaging:LeaseSeconds", "20"), ("Messaging:Twilio:TimeoutSeconds", "5")));
        _twilio.BeforeAnswer = _ =>
        {
            host.Time.Advance(TimeSpan.FromSeconds(6));
            return Task.CompletedTask;
        };
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
            ids.Add(await host.EnqueueTextAsync(to: $"+14165550{120 + i}"));

        Assert.Equal(2, await host.RunTextsAsync());

        var last = await host.MessageAsync(ids[2]);
        Assert.Equal((OutboundMessageStatus.Queued, 0, null), (last.Status, last.Attempts, last.ClaimedBy));
        Assert.Equal(1, await host.RunTextsAsync());
        Assert.Equal(3, _twilio.Requests.Count);
    }

    [Fact]
    public async Task A_text_withdrawn_while_it_waits_its_turn_in_a_claimed_batch_is_not_sent()
    {
        var first = await _host.EnqueueTextAsync(to: "+14165550120");
        var second = await _host.EnqueueTextAsync(to: "+14165550121");
        _twilio.BeforeAnswer = request => request.Form["To"] == "+14165550120" ? _host.WithdrawAsync(second) : Task.CompletedTask;

        await _host.RunTextsAsync();

        Assert.Equal("+14165550120", Assert.Single(_twilio.Requests).Form["To"]);
        Assert.Equal(OutboundMessageStatus.Sent, (await _host.MessageAsync(first)).Status);
        var withdrawn = await _host.MessageAsync(second);
        Assert.Equal((OutboundMessageStatus.Withdrawn, "The appointment was cancelled."), (withdrawn.Status, withdrawn.StatusDetail));
    }

    [Fact]
    public async Task A_text_withdrawn_while_twilio_has_it_is_recorded_as_sent_because_it_went()
    {
        var id = await _host.EnqueueTextAsync();
        _twilio.BeforeAnswer = _ => _host.WithdrawAsync(id);

        await _host.RunTextsAsync();

        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Sent, Assert.Single(_twilio.Requests).Sid), (row.Status, row.ProviderMessageId));
    }

    [Fact]
    public async Task A_link_that_can_no_longer_be_decrypted_fails_the_text_without_sending_it()
    {
        var id = await _host.EnqueueTextAsync(body: TextTestData.ReminderWithLink, secret: "token-4711");
        await using (var db = await _host.DbAsync())
        {
            var row = await db.OutboundMessages.SingleAsync(m => m.Id == id, TestContext.Current.CancellationToken);
            // Protected with a key this app's key ring does not hold, as after the keys folder was lost.
            row.ProtectedSecret = new EphemeralDataProtectionProvider().CreateProtector("PortalApp.Outbox.Secret.v1").Protect("token-4711");
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await _host.RunTextsAsync();

        Assert.Empty(_twilio.Requests);
        var failed = await _host.MessageAsync(id);
        Assert.Equal(OutboundMessageStatus.Failed, failed.Status);
        Assert.Equal("The link in this message could not be read back (the app's keys have changed), so it was not sent.", failed.StatusDetail);
    }
}
