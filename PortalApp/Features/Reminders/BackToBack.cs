using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Reminders;

/// <summary>
/// A client's appointments on one clinic day that follow each other with gaps of <see cref="MaxGap"/> or less make one
/// run: the patient comes once, so only the run's first appointment is reminded, and its reminder names the run's start
/// and everyone the patient sees. Overlapping appointments (two practitioners at once) are in the same run.
/// </summary>
public static class BackToBack
{
    public static readonly TimeSpan MaxGap = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Appointments that make the patient's visit: booked, or already arrived or completed (a booking later that day
    /// belongs to the visit under way). Cancelled and no-show ones do not.
    /// </summary>
    public static readonly Expression<Func<Appointment, bool>> Kept =
        a => a.Status == AppointmentStatus.Booked || a.Status == AppointmentStatus.Arrived || a.Status == AppointmentStatus.Completed;

    /// <summary>One appointment of a run, with what a reminder says about it.</summary>
    public sealed record Member(int Id, int ClientId, DateTime StartUtc, DateTime EndUtc, bool IsVideo, string Location, string Practitioner, string Type);

    /// <summary>The run the appointment is in (itself alone when there is none), in start order, read from the client's day.</summary>
    public static async Task<List<Member>> RunOfAsync(PortalDbContext db, int clientId, int appointmentId, DateTime startUtc, TimeZoneInfo zone, CancellationToken ct)
    {
        var (from, to) = ClinicTime.DayBounds(DateOnly.FromDateTime(ClinicTime.ToWallClock(startUtc, zone)), zone);
        var day = await db.Appointments.AsNoTracking()
            .Where(a => a.ClientId == clientId && a.StartUtc >= from && a.StartUtc < to)
            .Where(Kept)
            .Select(a => new Member(a.Id, a.ClientId, a.StartUtc, a.EndUtc, a.IsVideo, a.Location, a.Practitioner.DisplayName, a.AppointmentType.Name))
            .ToListAsync(ct);
        return Runs(day, m => m.ClientId, m => m.StartUtc, m => m.EndUtc, m => m.Id, zone).SingleOrDefault(r => r.Any(m => m.Id == appointmentId)) ?? [];
    }

    /// <summary>The runs among <paramref name="appointments"/> (any clients, any days), each in start order.</summary>
    public static List<List<T>> Runs<T>(IEnumerable<T> appointments, Func<T, int> clientId, Func<T, DateTime> startUtc, Func<T, DateTime> endUtc,
        Func<T, int> id, TimeZoneInfo zone)
    {
        var runs = new List<List<T>>();
        foreach (var day in appointments.GroupBy(a => (Client: clientId(a), Day: DateOnly.FromDateTime(ClinicTime.ToWallClock(startUtc(a), zone)))))
        {
            List<T>? run = null;
            var runEnd = DateTime.MinValue;
            foreach (var appointment in day.OrderBy(startUtc).ThenBy(id))
            {
                if (run is null || startUtc(appointment) - runEnd > MaxGap)
                {
                    run = [];
                    runs.Add(run);
                    runEnd = DateTime.MinValue;
                }
                run.Add(appointment);
                if (endUtc(appointment) > runEnd)
                    runEnd = endUtc(appointment);
            }
        }
        return runs;
    }
}
