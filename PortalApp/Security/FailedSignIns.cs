using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Security;

/// <summary>
/// Counts failed sign-ins for emails without an account of that kind, one row an hour, instead of an audit row each:
/// an attacker spraying made-up addresses cannot grow the database. (Failures on real accounts are audited one by one.)
/// </summary>
public sealed class FailedSignIns(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public async Task CountAsync(SessionKind portal, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await db.SignInFailureTallies.Where(t => t.HourStartUtc == hour && t.Portal == portal)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.Count, t => t.Count + 1), ct) == 1)
                return;
            db.SignInFailureTallies.Add(new SignInFailureTally { HourStartUtc = hour, Portal = portal, Count = 1 });
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another request made this hour's row first: count on it.
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<int> SinceAsync(DateTime fromUtc, SessionKind portal, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SignInFailureTallies.Where(t => t.Portal == portal && t.HourStartUtc >= fromUtc).SumAsync(t => t.Count, ct);
    }
}
