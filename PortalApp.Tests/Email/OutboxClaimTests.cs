using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Email;

/// <summary>Two instances of the app over one database share the outbox through work claims (WorkClaim).</summary>
[Trait("Providers", "Both")]
public sealed class OutboxClaimTests : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;
    private ServiceTestHost _first = null!;
    private ServiceTestHost _second = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        _first = await ServiceTestHost.StartAsync(Settings("web-1"));
        _second = await _first.StartSiblingAsync(Settings("web-2"));
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private Dictionary<string, string?> Settings(string instance) => new(OutboxTestData.SmtpSettings(_smtp.Port))
    {
        ["Instance:Name"] = instance,
        ["Outbox:BatchSize"] = "2",
    };

    [Fact]
    public async Task Two_instances_dispatching_at_once_send_every_due_email_exactly_once()
    {
        // Both dispatchers have run their claim query once, so neither starts the race compiling it.
        Assert.Equal(0, await _first.DispatchAsync());
        Assert.Equal(0, await _second.DispatchAsync());
        var addresses = Enumerable.Range(1, 20).Select(i => $"patient{i}@example.com").ToList();
        foreach (var address in addresses)
            await _first.EnqueueAsync(address);

        using var barrier = new Barrier(2);
        Task<int> DispatchAll(ServiceTestHost host) => Task.Run(async () =>
        {
            barrier.SignalAndWait(TimeSpan.FromSeconds(10));
            int sent = 0, round;
            while ((round = await host.DispatchAsync()) > 0)
                sent += round;
            return sent;
        });
        var sent = await Task.WhenAll(DispatchAll(_first), DispatchAll(_second));

        var received = await _smtp.WaitForMessagesAsync(20);
        Assert.Equal(20, received.Count);
        Assert.Equal(20, received.Select(r => r.Message.MessageId).Distinct().Count());
        Assert.Equal(addresses.Order(), received.SelectMany(r => r.EnvelopeTo).Order());
        Assert.Equal(20, sent.Sum());
        Assert.All(sent, count => Assert.True(count > 0, $"Each instance should have sent some of the 20 (sent: {string.Join(", ", sent)})."));
        await using var db = await _first.DbAsync();
        Assert.All(await db.OutboxEmails.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken), row =>
        {
            Assert.Equal(OutboxStatus.Sent, row.Status);
            Assert.Null(row.ClaimedBy);
            Assert.Null(row.LeaseExpiresAtUtc);
        });
    }

    [Fact]
    public async Task A_killed_instance_s_claimed_email_is_sent_by_another_once_its_lease_ends_and_not_before()
    {
        var id = await _first.EnqueueAsync();
        // The second instance claims the email and dies before sending it: its claim stays in the database.
        await using (var db = await _second.DbAsync())
        {
            var claimed = await WorkClaim.ClaimAsync(db, db.OutboxEmails.Where(o => o.Status == OutboxStatus.Pending).OrderBy(o => o.Id),
                10, "web-2", _second.UtcNow(), TimeSpan.FromSeconds(300), TestContext.Current.CancellationToken);
            Assert.Equal(id, Assert.Single(claimed).Id);
        }
        // ("Killed": from here on the second instance does nothing.)

        _first.Time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(0, await _first.DispatchAsync());
        Assert.Equal("web-2", (await _first.OutboxRowAsync(id)).ClaimedBy);

        _first.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _first.DispatchAsync());
        Assert.Single(await _smtp.WaitForMessagesAsync(1));
        var row = await _first.OutboxRowAsync(id);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Null(row.ClaimedBy);
    }

    [Fact]
    public async Task A_batch_stops_starting_sends_when_its_lease_has_less_than_two_smtp_timeouts_left_and_frees_the_rest()
    {
        // Lease 20 s, SMTP timeout 5 s: a send starts only with 10 s or more of lease left. Each send takes 6 s here.
        await using var host = await ServiceTestHost.StartAsync(new Dictionary<string, string?>(Settings("web-1"))
        {
            ["Outbox:LeaseSeconds"] = "20",
            ["Email:Smtp:TimeoutSeconds"] = "5",
            ["Outbox:BatchSize"] = "3",
        });
        var ids = new List<long>();
        for (var i = 1; i <= 3; i++)
            ids.Add(await host.EnqueueAsync($"patient{i}@example.com"));
        _smtp.BeforeAccept = _ =>
        {
            host.Time.Advance(TimeSpan.FromSeconds(6));
            return Task.FromResult(true);
        };

        Assert.Equal(2, await host.DispatchAsync());

        var last = await host.OutboxRowAsync(ids[2]);
        Assert.Equal(OutboxStatus.Pending, last.Status);
        Assert.Equal(0, last.Attempts);
        Assert.Null(last.ClaimedBy); // freed at once, not after the lease
        Assert.Equal(1, await host.DispatchAsync());
        Assert.Equal(3, (await _smtp.WaitForMessagesAsync(3)).Count);
    }

    [Fact]
    public async Task A_lease_shorter_than_four_smtp_timeouts_is_refused_naming_both_settings()
    {
        await using var host = await ServiceTestHost.StartAsync(new Dictionary<string, string?>(Settings("web-1"))
        {
            ["Outbox:LeaseSeconds"] = "19",
            ["Email:Smtp:TimeoutSeconds"] = "5",
        });

        var error = Assert.Throws<OptionsValidationException>(() => host.Get<IOptions<OutboxOptions>>().Value);
        Assert.Contains("Outbox:LeaseSeconds is 19", error.Message);
        Assert.Contains("Email:Smtp:TimeoutSeconds (5)", error.Message);
    }

    [Fact]
    public void An_instance_without_a_name_is_called_after_the_machine_and_the_process()
    {
        var identity = new InstanceIdentity(Options.Create(new InstanceOptions()));
        Assert.Equal($"{Environment.MachineName}-{Environment.ProcessId}", identity.Name);
    }
}
