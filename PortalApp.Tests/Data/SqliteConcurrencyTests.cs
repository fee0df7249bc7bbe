using Microsoft.EntityFrameworkCore;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Data;

public sealed class SqliteConcurrencyTests
{
    [Fact]
    public async Task The_database_runs_in_WAL_mode_with_a_busy_timeout()
    {
        await using var host = await ServiceTestHost.StartAsync(PortalApp.Data.DatabaseProvider.Sqlite);
        await using var db = await host.DbAsync();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();

        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "PRAGMA busy_timeout;";
        Assert.Equal(10000L, (long)(await command.ExecuteScalarAsync())!);
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
