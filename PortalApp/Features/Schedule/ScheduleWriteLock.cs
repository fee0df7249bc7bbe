using Microsoft.EntityFrameworkCore.Storage;
using PortalApp.Data;

namespace PortalApp.Features.Schedule;

/// <summary>
/// The one provider-specific step of booking: hold the database's write lock while the double-booking check reads and
/// the booking is written, so two front desks booking the same slot at once queue instead of both passing the check.
/// On SQLite, Microsoft.Data.Sqlite begins every transaction with BEGIN IMMEDIATE, which takes the write lock up front.
/// PostgreSQL will need more here (e.g. pg_advisory_xact_lock on the practitioner's id), since its transactions do not lock.
/// </summary>
public static class ScheduleWriteLock
{
    public static Task<IDbContextTransaction> BeginAsync(PortalDbContext db, CancellationToken ct) =>
        db.Database.BeginTransactionAsync(ct);
}
