using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using F = PortalApp.Features.Import.ImportFields;

namespace PortalApp.Features.Import;

/// <summary>
/// Clients and appointments as CSV with exactly the columns the import reads, so a clinic can leave as easily as it
/// arrived. UTF-8 with a BOM (Excel then shows accents right), streamed row by row, formula-safe, audited with counts.
/// </summary>
public sealed class ExportService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ClinicSettingsService clinic)
{
    private static readonly CsvWriterOptions Csv = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public const string DateFormat = "yyyy-MM-dd";
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm";

    public async Task<Outcome> WriteCsvAsync(StaffActor actor, ImportKind kind, Stream output, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return Outcome.Refuse(ImportService.AdminOnly);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var count = kind == ImportKind.Clients
            ? await db.Clients.CountAsync(c => c.MergedIntoClientId == null, ct)
            : await db.Appointments.CountAsync(ct);
        // Recorded before the first row leaves: an export cut short has still let rows out.
        audit.Add(db, actor, AuditActions.ExportRun, null, AuditOutcome.Succeeded, $"{kind}: {count} rows");
        await db.SaveChangesAsync(ct);

        await output.WriteAsync(Bom, ct);
        await using var csv = CsvWriter.Create(output, Csv, leaveOpen: true);
        csv.WriteHeader([.. F.For(kind).Select(f => f.Name)]);
        if (kind == ImportKind.Clients)
            await WriteClientsAsync(db, csv, ct);
        else
            await WriteAppointmentsAsync(db, csv, (await clinic.GetAsync(ct)).TimeZone, ct);
        await csv.FlushAsync(ct);
        return Outcome.Ok;
    }

    private static async Task WriteClientsAsync(PortalDbContext db, CsvWriter csv, CancellationToken ct)
    {
        var clients = db.Clients.AsNoTracking().Where(c => c.MergedIntoClientId == null).OrderBy(c => c.Id).AsAsyncEnumerable();
        await foreach (var c in clients.WithCancellation(ct))
        {
            await csv.WriteRecordAsync(
            [
                c.ExternalId, c.FirstName, c.LastName, c.PreferredName, Date(c.DateOfBirth), c.Email, c.MobilePhone,
                c.StreetAddress, c.City, c.Province, c.PostalCode, c.PreferredLanguage.ToString(), c.EndDate is { } end ? Date(end) : null,
            ], ct);
        }
    }

    private static async Task WriteAppointmentsAsync(PortalDbContext db, CsvWriter csv, TimeZoneInfo zone, CancellationToken ct)
    {
        var rows = db.Appointments.AsNoTracking().OrderBy(a => a.Id).Select(a => new
        {
            a.ExternalId, ClientId = a.Client.ExternalId, a.Client.FirstName, a.Client.LastName, a.Client.DateOfBirth,
            Practitioner = a.Practitioner.DisplayName, Type = a.AppointmentType.Name, a.StartUtc, a.EndUtc, a.Location, a.IsVideo, a.Status, a.CancelReason,
        }).AsAsyncEnumerable();
        await foreach (var a in rows.WithCancellation(ct))
        {
            var start = ClinicTime.ToWallClock(a.StartUtc, zone);
            var end = ClinicTime.ToWallClock(a.EndUtc, zone);
            await csv.WriteRecordAsync(
            [
                a.ExternalId, a.ClientId, a.FirstName, a.LastName, Date(a.DateOfBirth), a.Practitioner, a.Type,
                start.ToString(DateTimeFormat, CultureInfo.InvariantCulture), end.ToString(DateTimeFormat, CultureInfo.InvariantCulture),
                ((int)(a.EndUtc - a.StartUtc).TotalMinutes).ToString(CultureInfo.InvariantCulture),
                a.Location, a.IsVideo ? "Yes" : "No", a.Status == AppointmentStatus.NoShow ? "No show" : a.Status.ToString(), a.CancelReason,
            ], ct);
        }
    }

    private static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);
}
