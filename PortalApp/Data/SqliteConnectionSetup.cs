using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace PortalApp.Data;

/// <summary>
/// Per-connection setup: pragmas, and a busy handler (<see cref="SqliteWriterWait"/>) that makes a writer wait for
/// another writer instead of failing at once.
/// (Microsoft.Data.Sqlite starts transactions with BEGIN IMMEDIATE, so a read-then-write transaction takes the
/// write lock up front and two of them cannot deadlock on lock upgrade; see SqliteConcurrencyTests.)
/// </summary>
internal sealed class SqliteConnectionSetup(IOptionsMonitor<DatabaseOptions> options) : DbConnectionInterceptor
{
    // synchronous=NORMAL in WAL mode: a commit waits for no fsync, the database cannot corrupt, and only a power cut
    // (not an app crash) can roll back the last commits. See docs/decisions/0005.
    private const string Pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    private string Commands => options.CurrentValue.MaxSizeMegabytes is { } megabytes
        ? $"{Pragmas} PRAGMA max_page_count = {Math.Max(1, megabytes * 256)};" // 256 pages of 4 KiB per MiB
        : Pragmas;

    private static void SetBusyHandler(DbConnection connection) => SqliteWriterWait.Install((Microsoft.Data.Sqlite.SqliteConnection)connection);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        SetBusyHandler(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Commands;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        SetBusyHandler(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Commands;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
