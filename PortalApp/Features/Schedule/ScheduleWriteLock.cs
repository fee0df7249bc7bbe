using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PortalApp.Data;

namespace PortalApp.Features.Schedule;

/// <summary>
/// Holds the practitioners' time while the double-booking check reads and the booking is written, so two front desks
/// booking the same slot at once queue instead of both passing the check (SQLite: the write lock; PostgreSQL: the
/// practitioners' rows; see <see cref="WriteLock"/>).
/// </summary>
public static class ScheduleWriteLock
{
    public static Task<IDbContextTransaction> BeginAsync(PortalDbContext db, IEnumerable<int> practitionerIds, CancellationToken ct) =>
        WriteLock.BeginAsync<Practitioner>(db, practitionerIds.Cast<object>(), ct);

    /// <summary>For a change of an existing appointment: its practitioner's time (read first, outside the lock).</summary>
    public static async Task<IDbContextTransaction> BeginForAppointmentAsync(PortalDbContext db, int appointmentId, int? newPractitionerId, CancellationToken ct)
    {
        var current = await db.Appointments.Where(a => a.Id == appointmentId).Select(a => (int?)a.PractitionerId).SingleOrDefaultAsync(ct);
        return await BeginAsync(db, new[] { current, newPractitionerId }.OfType<int>(), ct);
    }
}
