using System.Data.Common;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace PortalApp.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// Refuse to grow the database beyond this size, so a runaway cannot fill the server's disk. Empty: no limit.
    /// A write that would pass it fails like a full disk (SQLITE_FULL), and the app says so without losing the form.
    /// </summary>
    [Range(0, 1_000_000)]
    public int? MaxSizeMegabytes { get; set; }
}

/// <summary>
/// Per-connection pragmas. A busy timeout makes a writer wait for another writer instead of failing at once.
/// (Microsoft.Data.Sqlite starts transactions with BEGIN IMMEDIATE, so a read-then-write transaction takes the
/// write lock up front and two of them cannot deadlock on lock upgrade; see SqliteConcurrencyTests.)
/// </summary>
internal sealed class SqliteConnectionSetup(IOptionsMonitor<DatabaseOptions> options) : DbConnectionInterceptor
{
    // synchronous=NORMAL in WAL mode: a commit waits for no fsync, the database cannot corrupt, and only a power cut
    // (not an app crash) can roll back the last commits. See docs/decisions/0005.
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    private string Commands => options.CurrentValue.MaxSizeMegabytes is { } megabytes
        ? $"{Pragmas} PRAGMA max_page_count = {Math.Max(1, megabytes * 256)};" // 256 pages of 4 KiB per MiB
        : Pragmas;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Commands;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Commands;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Recognises the database failures a clinic can meet in production, to answer them with a message instead of an error page.</summary>
public static class DatabaseFailures
{
    public const string Message = "The server could not save this: its disk is full or the database is busy. Nothing was saved; your entries are still here. Try again in a moment, and tell your IT person if it keeps happening.";

    public static bool IsStorageProblem(Exception ex) =>
        (ex as Microsoft.Data.Sqlite.SqliteException ?? ex.InnerException as Microsoft.Data.Sqlite.SqliteException) is
            { SqliteErrorCode: 13 or 5 or 6 or 10 }; // SQLITE_FULL, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR
}
