using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Schedule;

/// <summary>What the Schedule and a client's Appointments tab read.</summary>
public sealed class ScheduleQueries(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit)
{
    /// <summary>The most days one read returns: a week view.</summary>
    public const int MaxDays = 7;

    private static readonly Expression<Func<Appointment, ScheduleItem>> ToItem = a => new ScheduleItem(
        a.Id, a.ClientId, a.Client.FirstName + " " + a.Client.LastName, a.PractitionerId, a.Practitioner.DisplayName, a.Practitioner.Colour,
        a.AppointmentTypeId, a.AppointmentType.Name, a.StartUtc, a.EndUtc, a.IsVideo, a.Location, a.Status, a.CancelReason, a.Version,
        a.ConfirmedAtUtc, a.ConfirmedVia);

    /// <summary>Active practitioners and types for booking; <paramref name="keepPractitionerId"/> and <paramref name="keepTypeId"/> stay listed when inactive (an existing booking's own).</summary>
    public async Task<BookingChoices> ChoicesAsync(int? keepPractitionerId = null, int? keepTypeId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var practitioners = await db.Practitioners.AsNoTracking().Where(p => p.IsActive || p.Id == keepPractitionerId).OrderBy(p => p.DisplayName)
            .Select(p => new PractitionerChoice(p.Id, p.DisplayName, p.Credentials, p.Colour, p.StaffUserId)).ToListAsync(ct);
        var types = await db.AppointmentTypes.AsNoTracking().Where(t => t.IsActive || t.Id == keepTypeId).OrderBy(t => t.Name)
            .Select(t => new AppointmentTypeChoice(t.Id, t.Name, t.DefaultLengthMinutes, t.IsVideo)).ToListAsync(ct);
        return new BookingChoices(practitioners, types);
    }

    /// <summary>One practitioner's appointments on <paramref name="days"/> clinic days from <paramref name="firstDay"/>, cancelled ones included.</summary>
    public async Task<IReadOnlyList<ScheduleItem>> DaysAsync(int practitionerId, DateOnly firstDay, int days, TimeZoneInfo zone, CancellationToken ct = default)
    {
        days = Math.Clamp(days, 1, MaxDays);
        var (fromUtc, _) = ClinicTime.DayBounds(firstDay, zone);
        var (_, toUtc) = ClinicTime.DayBounds(firstDay.AddDays(days - 1), zone);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Appointments.AsNoTracking()
            .Where(a => a.PractitionerId == practitionerId && a.StartUtc < toUtc && a.EndUtc > fromUtc)
            .OrderBy(a => a.StartUtc)
            .Select(ToItem)
            .ToListAsync(ct);
    }

    public async Task<IReadOnlyList<ScheduleItem>> ForClientAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Appointments.AsNoTracking().Where(a => a.ClientId == clientId).OrderByDescending(a => a.StartUtc).Select(ToItem).ToListAsync(ct);
    }

    public async Task<AppointmentDetails?> DetailsAsync(int appointmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.Appointments.AsNoTracking().Where(a => a.Id == appointmentId).Select(ToItem).SingleOrDefaultAsync(ct);
        if (item is null)
            return null;
        var history = await db.AppointmentChanges.AsNoTracking().Where(c => c.AppointmentId == appointmentId)
            .OrderBy(c => c.AtUtc).ThenBy(c => c.Id)
            .Select(c => new AppointmentHistoryEntry(c.Kind, c.AtUtc, c.StaffDisplayName, c.Details)).ToListAsync(ct);
        return new AppointmentDetails(item, history);
    }

    /// <summary>One audit row per opening of the Schedule (the page asks through PageOpen), not one per render or date change.</summary>
    public async Task RecordViewAsync(StaffActor viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        audit.Add(db, viewer, AuditActions.ScheduleView, null, AuditOutcome.Succeeded);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            // As with a client card's view: a full disk must not keep the front desk from the day's schedule.
        }
    }
}
