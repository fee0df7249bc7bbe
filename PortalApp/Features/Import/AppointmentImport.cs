using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Import;

internal sealed record AppointmentValues(
    string? ExternalId, int ClientId, int PractitionerId, int TypeId, DateTime StartUtc, DateTime EndUtc,
    string Location, bool IsVideo, AppointmentStatus Status, string? CancelReason)
{
    public void ApplyTo(Appointment a)
    {
        (a.ExternalId, a.ClientId, a.PractitionerId, a.AppointmentTypeId, a.StartUtc, a.EndUtc) = (ExternalId, ClientId, PractitionerId, TypeId, StartUtc, EndUtc);
        (a.Location, a.IsVideo, a.Status, a.CancelReason) = (Location, IsVideo, Status, CancelReason);
    }

    /// <summary>Cancelled appointments and no-shows do not hold the practitioner's time (AppointmentClashes.HoldingTime).</summary>
    public bool HoldsTime => Status is not (AppointmentStatus.Cancelled or AppointmentStatus.NoShow);
}

/// <summary>
/// Appointments: the booking rules row by row. The client is found by Client ID, else by name and date of birth; the
/// practitioner and the type by name (missing ones are refused, never created: a typo must not add a practitioner).
/// A row with an Appointment ID updates that appointment; one without updates the client's appointment with the same
/// practitioner and start; otherwise it books a new one. Double bookings are refused unless the clinic allows them.
/// </summary>
internal sealed class AppointmentImport : ImportPlan
{
    private readonly List<Appointment> _creates = [];
    private readonly List<(int Id, AppointmentValues Values)> _updates = [];
    private readonly Dictionary<(int Practitioner, int Day), List<(DateTime Start, DateTime End, int Line)>> _booked = [];

    public override int Created => _creates.Count;
    public override int Updated => _updates.Count;

    public static async Task<AppointmentImport> PlanAsync(PortalDbContext db, ImportRequest request, ImportContext context, Action<int> checkedRows, CancellationToken ct)
    {
        var lookups = await AppointmentLookups.LoadAsync(db, ct);
        var plan = new AppointmentImport { Total = request.Table.Rows.Count, NowUtc = context.NowUtc, StaffUserId = context.StaffUserId, StaffName = context.StaffName };
        var idLines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var matched = new HashSet<int>();
        foreach (var row in request.Table.Rows)
        {
            ct.ThrowIfCancellationRequested();
            var (values, problem) = AppointmentRowReader.Read(new ImportRow(row, request.Mapping), request.DateFormat, context, lookups);
            if (values is null)
                plan.Refuse(row, problem!);
            else if (values.ExternalId is { } id && !idLines.TryAdd(id, row.Line))
                plan.Refuse(row, $"Appointment ID {id} is also on line {idLines[id]}: each appointment can be in the file once.");
            else
                await plan.PlaceAsync(db, row, values, context, lookups, matched, ct);
            checkedRows(1);
        }
        return plan;
    }

    private async Task PlaceAsync(PortalDbContext db, CsvRow row, AppointmentValues values, ImportContext context, AppointmentLookups lookups, HashSet<int> matched, CancellationToken ct)
    {
        var match = lookups.Existing(values);
        if (match is { } m && !matched.Add(m.Id))
        {
            Refuse(row, "Another row of this file already updates the same appointment.");
            return;
        }
        var next = values with { ExternalId = values.ExternalId ?? match?.Values.ExternalId };
        if (next.HoldsTime && !context.AllowOverlaps && await ClashAsync(db, next, match?.Id, lookups, ct) is { } clash)
        {
            Refuse(row, clash);
            return;
        }
        if (next.HoldsTime)
            Book(next, row.Line);
        if (match is null)
        {
            var appointment = new Appointment { CreatedAtUtc = context.NowUtc, UpdatedAtUtc = context.NowUtc };
            next.ApplyTo(appointment);
            appointment.Changes.Add(new AppointmentChange
            {
                Kind = AppointmentChangeKind.Imported, AtUtc = context.NowUtc, StaffUserId = context.StaffUserId,
                StaffDisplayName = context.StaffName, Details = "Imported from a CSV file",
            });
            _creates.Add(appointment);
        }
        else if (next == match.Values)
            Unchanged++;
        else
            _updates.Add((match.Id, next));
    }

    /// <summary>Against the database through the one rule (AppointmentClashes), and against the rows of this file before it.</summary>
    private async Task<string?> ClashAsync(PortalDbContext db, AppointmentValues a, int? exceptId, AppointmentLookups lookups, CancellationToken ct)
    {
        var day = Day(a.StartUtc);
        for (var d = day - 1; d <= day + 1; d++)
        {
            if (_booked.TryGetValue((a.PractitionerId, d), out var list) && list.FirstOrDefault(b => b.Start < a.EndUtc && b.End > a.StartUtc) is { Line: > 0 } other)
                return $"This double-books {lookups.PractitionerName(a.PractitionerId)}: the appointment on line {other.Line} overlaps it.";
        }
        if (lookups.AnyBookings && await db.Appointments.Overlapping(a.PractitionerId, a.StartUtc, a.EndUtc, exceptId).AnyAsync(ct))
            return $"This double-books {lookups.PractitionerName(a.PractitionerId)}: they already have an appointment at that time.";
        return null;
    }

    private void Book(AppointmentValues a, int line)
    {
        var key = (a.PractitionerId, Day(a.StartUtc));
        if (!_booked.TryGetValue(key, out var list))
            _booked[key] = list = [];
        list.Add((a.StartUtc, a.EndUtc, line));
    }

    private static int Day(DateTime utc) => (int)(utc.Ticks / TimeSpan.TicksPerDay);

    public override async Task WriteAsync(PortalDbContext db, Action<int> saved, CancellationToken ct)
    {
        await SaveInBatchesAsync(db, _creates, batch => { db.Appointments.AddRange(batch); return Task.CompletedTask; }, saved, ct);
        await SaveInBatchesAsync(db, _updates, async batch =>
        {
            var ids = batch.Select(u => u.Id).ToList();
            var rows = await db.Appointments.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
            foreach (var (id, values) in batch)
            {
                values.ApplyTo(rows[id]);
                rows[id].UpdatedAtUtc = NowUtc;
                rows[id].Version++;
                db.AppointmentChanges.Add(new AppointmentChange
                {
                    AppointmentId = id, Kind = AppointmentChangeKind.Imported, AtUtc = NowUtc, StaffUserId = StaffUserId, StaffDisplayName = StaffName, Details = "Updated from a CSV file",
                });
            }
        }, saved, ct);
    }
}
