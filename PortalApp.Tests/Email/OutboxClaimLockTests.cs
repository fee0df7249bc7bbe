using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Email;

/// <summary>
/// PostgreSQL's half of the claim: rows another instance is stamping at this moment (locked in its claim transaction)
/// are passed over at once. SQLite has no row locks: its claimers queue on the write lock instead.
/// </summary>
public sealed class OutboxClaimLockTests : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        _host = await ServiceTestHost.StartAsync(DatabaseProvider.PostgreSql, OutboxTestData.SmtpSettings(_smtp.Port));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task A_claim_passes_over_rows_another_instance_holds_locked_without_waiting_for_them()
    {
        var held = await _host.EnqueueAsync("held@example.com");
        await _host.EnqueueAsync("amy@example.com");
        await _host.EnqueueAsync("ben@example.com");

        await using var other = await _host.DbAsync();
        await using (var tx = await other.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await other.Database.ExecuteSqlRawAsync("SELECT 1 FROM \"OutboxEmails\" WHERE \"Id\" = {0} FOR UPDATE", [held], TestContext.Current.CancellationToken);

            using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            patience.CancelAfter(TimeSpan.FromSeconds(10)); // waiting for the lock instead of skipping it ends here
            Assert.Equal(2, await _host.Get<PortalApp.Email.OutboxDispatcher>().DispatchDueAsync(patience.Token));
            Assert.Equal(OutboxStatus.Pending, (await _host.OutboxRowAsync(held)).Status);
        }

        Assert.Equal(1, await _host.DispatchAsync());
        Assert.Equal(["amy@example.com", "ben@example.com", "held@example.com"], (await _smtp.WaitForMessagesAsync(3)).SelectMany(r => r.EnvelopeTo));
    }
}
