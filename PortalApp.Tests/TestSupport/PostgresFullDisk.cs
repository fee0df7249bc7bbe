using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// PostgreSQL has no per-database size cap to fill (SQLite's max_page_count), and filling a real disk under a shared
/// test server would stop every other test. So once switched on, every insert (a write that needs new space, as with
/// SQLite's cap) fails with the error a full disk gives (SQLSTATE 53100, disk_full) at the driver's edge; everything
/// above it is the app's real code.
/// </summary>
public sealed class PostgresFullDisk : DbCommandInterceptor
{
    public volatile bool Full;

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        ThrowWhenWriting(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ThrowWhenWriting(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        ThrowWhenWriting(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ThrowWhenWriting(command);
        return ValueTask.FromResult(result);
    }

    private void ThrowWhenWriting(DbCommand command)
    {
        if (Full && command.CommandText.Contains("INSERT ", StringComparison.Ordinal))
            throw new PostgresException("could not extend file \"base/16384/16385\": No space left on device", "ERROR", "ERROR", "53100");
    }
}
