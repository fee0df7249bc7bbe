using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Data;

public sealed class SqliteConcurrencyTests
{
    [Fact]
    public async Task The_database_runs_in_WAL_mode()
    {
        await using var host = await ServiceTestHost.StartAsync(PortalApp.Data.DatabaseProvider.Sqlite);
        await using var db = await host.DbAsync();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();

        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_writer_waits_past_its_command_timeout_for_another_connections_write_and_then_saves()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ServiceTestHost.StartAsync(PortalApp.Data.DatabaseProvider.Sqlite);
        var client = await host.AddClientAsync();
        await using var holder = await host.DbAsync();
        var held = await holder.Database.BeginTransactionAsync(ct); // BEGIN IMMEDIATE: the write lock
        await holder.Clients.Where(c => c.Id == client.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.PreferredName, "first"), ct);

        var waiter = Task.Run(async () =>
        {
            await using var db = await host.DbAsync();
            db.Database.SetCommandTimeout(1); // Microsoft.Data.Sqlite's own retries stop after this; the busy handler's do not
            var row = await db.Clients.SingleAsync(c => c.Id == client.Id);
            row.LastName = "Second";
            await db.SaveChangesAsync();
        }, ct);
        // Without the busy handler the waiter fails with "database is locked" after its 1 s command timeout; with it, it
        // waits (up to about 10 s), and cannot finish while the lock is held.
        await Task.Delay(1500, ct);
        Assert.False(waiter.IsCompleted, waiter.Exception?.ToString());
        await held.CommitAsync(ct);
        await waiter;

        await using var check = await host.DbAsync();
        var saved = await check.Clients.AsNoTracking().SingleAsync(c => c.Id == client.Id, ct);
        Assert.Equal(("first", "Second"), (saved.PreferredName, saved.LastName));
    }

    [Fact]
    public void The_busy_handler_tries_every_millisecond_then_every_ten_until_about_ten_seconds()
    {
        Assert.Equal(1, SqliteWriterWait.Step(0));
        Assert.Equal(1, SqliteWriterWait.Step(49));
        Assert.Equal(10, SqliteWriterWait.Step(50));
        var lastTry = Enumerable.Range(0, 100_000).First(tries => SqliteWriterWait.Step(tries) is null);
        Assert.Equal(SqliteWriterWait.MaxWaitMilliseconds, SqliteWriterWait.Waited(lastTry));
        Assert.Equal(10_000, SqliteWriterWait.MaxWaitMilliseconds);
    }

    [Fact]
    public async Task Parallel_read_then_write_transactions_neither_deadlock_nor_lose_an_update()
    {
        await using var host = await ServiceTestHost.StartAsync(PortalApp.Data.DatabaseProvider.Sqlite);
        var client = await host.AddClientAsync();

        // Each transaction reads the counter then writes it + 1: with deferred transactions two readers would both
        // try to upgrade to writers and one would fail with SQLITE_BUSY (or an update would be lost).
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await using var db = await host.DbAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            var row = await db.Clients.SingleAsync(c => c.Id == client.Id);
            row.PreferredName = ((int.TryParse(row.PreferredName, out var n) ? n : 0) + 1).ToString();
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        })));

        await using var check = await host.DbAsync();
        Assert.Equal("20", (await check.Clients.SingleAsync(c => c.Id == client.Id)).PreferredName);
    }
}
