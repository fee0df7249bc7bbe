using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Charting;

public sealed record VisitView(
    int AppointmentId, int ClientId, string ClientName, DateOnly ClientDateOfBirth, DateOnly? ClientEndDate,
    DateTime StartUtc, DateTime EndUtc, string PractitionerName, string Type, string Location, AppointmentStatus Status,
    string? ChartNote, DateTime? ChartNoteUpdatedAtUtc, int Version);

public abstract record ChartNoteSaveResult
{
    public sealed record Saved(int Version, DateTime AtUtc) : ChartNoteSaveResult;
    public sealed record TooLong(int MaxLength) : ChartNoteSaveResult;
    public sealed record Conflict : ChartNoteSaveResult;
    public sealed record NotFound : ChartNoteSaveResult;
    public sealed record NotAllowed : ChartNoteSaveResult;
    public sealed record StorageFailed : ChartNoteSaveResult;
}

public sealed class ChartingService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ViewAudit views, ClinicClock clock)
{
    public const int ChartNoteMaxLength = 20_000;

    public async Task<VisitView?> GetVisitAsync(int appointmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await VisitAsync(db, appointmentId, ct);
    }

    /// <summary>The charting window as a staff member opens it, chart note and all: the open is recorded in the audit log.</summary>
    public async Task<VisitView?> ViewVisitAsync(int appointmentId, StaffActor viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var visit = await VisitAsync(db, appointmentId, ct);
        if (visit is not null)
            await views.RecordAsync(db, viewer, AuditActions.ChartNoteView, visit.ClientId, $"Appointment {appointmentId}", ct);
        return visit;
    }

    private static Task<VisitView?> VisitAsync(PortalDbContext db, int appointmentId, CancellationToken ct) =>
        db.Appointments.AsNoTracking()
            .Where(a => a.Id == appointmentId)
            .Select(a => new VisitView(
                a.Id, a.ClientId, a.Client.FirstName + " " + a.Client.LastName, a.Client.DateOfBirth, a.Client.EndDate,
                a.StartUtc, a.EndUtc, a.Practitioner.DisplayName, a.AppointmentType.Name, a.Location, a.Status,
                a.ChartNote, a.ChartNoteUpdatedAtUtc, a.Version))
            .SingleOrDefaultAsync(ct);

    public async Task<ChartNoteSaveResult> SaveNoteAsync(int appointmentId, string? note, int expectedVersion, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.MayWriteChartNotes)
            return new ChartNoteSaveResult.NotAllowed();
        if (note is { Length: > ChartNoteMaxLength })
            return new ChartNoteSaveResult.TooLong(ChartNoteMaxLength);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var appointment = await db.Appointments.SingleOrDefaultAsync(a => a.Id == appointmentId, ct);
        if (appointment is null)
            return new ChartNoteSaveResult.NotFound();
        if (appointment.Version != expectedVersion)
            return new ChartNoteSaveResult.Conflict();

        appointment.ChartNote = string.IsNullOrWhiteSpace(note) ? null : note;
        appointment.ChartNoteUpdatedAtUtc = clock.UtcNow;
        // The note is clinical: the audit records that it changed, never what it says.
        audit.Add(db, actor, AuditActions.ChartNoteSave, appointment.ClientId, AuditOutcome.Succeeded, $"Appointment {appointment.Id}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ChartNoteSaveResult.Conflict();
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return new ChartNoteSaveResult.StorageFailed();
        }
        return new ChartNoteSaveResult.Saved(appointment.Version, appointment.ChartNoteUpdatedAtUtc.Value);
    }
}
