using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PortalApp.Data;

/// <summary>
/// Per-connection pragmas. A busy timeout makes a writer wait for another writer instead of failing at once.
/// (Microsoft.Data.Sqlite starts transactions with BEGIN IMMEDIATE, so a read-then-write transaction takes the
/// write lock up front and two of them cannot deadlock on lock upgrade; see SqliteConcurrencyTests.)
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    // synchronous=NORMAL in WAL mode: a commit waits for no fsync, the database cannot corrupt, and only a power cut
    // (not an app crash) can roll back the last commits. See docs/decisions/0005.
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
