using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PortalApp.Data;

/// <summary>A row a background dispatcher works on (an email, later a reminder or a bulk message): who holds it, until when.</summary>
public interface ILeasedWork
{
    string? ClaimedBy { get; set; }
    DateTime? LeaseExpiresAtUtc { get; set; }
}

/// <summary>
/// How several instances share one table of due work without doing a row twice: a short transaction picks due rows
/// that nobody holds (or whose holder's lease has lapsed), stamps them with this instance's name and a lease, and
/// commits. The work happens outside that transaction; finishing a row clears its claim (<see cref="Release"/>).
/// A killed instance's rows become claimable again when their lease ends.
/// <list type="bullet">
/// <item>PostgreSQL: the pick is <c>SELECT … FOR UPDATE SKIP LOCKED</c>, so a second instance claiming at the same
/// moment passes over the rows the first is stamping instead of waiting for them or taking them too.</item>
/// <item>SQLite: the same query inside BEGIN IMMEDIATE (<see cref="WriteLock"/>): one claimer at a time.</item>
/// </list>
/// </summary>
public static class WorkClaim
{
    /// <summary>Longest instance name a claim records (the ClaimedBy columns).</summary>
    public const int MaxClaimerLength = 100;

    /// <summary>Claims up to <paramref name="count"/> rows of <paramref name="due"/> (already filtered and ordered) for <paramref name="claimer"/>.</summary>
    /// <returns>The claimed rows, tracked by <paramref name="db"/>, so the caller records its work on them and saves.</returns>
    public static async Task<List<T>> ClaimAsync<T>(PortalDbContext db, IQueryable<T> due, int count, string claimer,
        DateTime nowUtc, TimeSpan lease, CancellationToken ct) where T : class, ILeasedWork
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await due
            .Where(r => r.ClaimedBy == null || r.LeaseExpiresAtUtc == null || r.LeaseExpiresAtUtc <= nowUtc)
            .Take(count)
            .TagWith(SkipLockedTag)
            .ToListAsync(ct);
        foreach (var row in rows)
        {
            row.ClaimedBy = claimer;
            row.LeaseExpiresAtUtc = nowUtc + lease;
        }
        // On SQLite the claim holds the one write lock, which a bulk send's batches and each sent email's record also
        // wait for: plain updates keep it short (issue 14's benchmark). A row with a concurrency token needs SaveChanges.
        if (PlainRows.CanUpdate<T>(db))
            await PlainRows.UpdateAsync(db, rows, ct);
        else
            await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows;
    }

    /// <summary>Done with this row (sent, failed, or left for a later try): any instance may claim it when it is due.</summary>
    public static void Release(ILeasedWork row)
    {
        row.ClaimedBy = null;
        row.LeaseExpiresAtUtc = null;
    }

    private const string SkipLockedTag = "PortalApp: FOR UPDATE SKIP LOCKED";

    /// <summary>
    /// EF Core has no row-lock operator, so the claim's query is tagged and this interceptor ends the tagged SELECT
    /// with the lock clause (PostgreSQL contexts only). Untagged queries pass untouched.
    /// </summary>
    public sealed class SkipLockedInterceptor : DbCommandInterceptor
    {
        public static readonly SkipLockedInterceptor Instance = new();

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            AddLockClause(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            AddLockClause(command);
            return ValueTask.FromResult(result);
        }

        private static void AddLockClause(DbCommand command)
        {
            if (command.CommandText.StartsWith($"-- {SkipLockedTag}", StringComparison.Ordinal))
                command.CommandText = command.CommandText.TrimEnd().TrimEnd(';') + "\nFOR UPDATE SKIP LOCKED";
        }
    }
}
