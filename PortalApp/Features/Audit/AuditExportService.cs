using PortalApp.Auditing;
using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Audit;

/// <summary>The filtered audit log as CSV for an auditor's spreadsheet: streamed row by row, formula-safe, itself audited.</summary>
public sealed class AuditExportService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, AuditQueryService query, ClinicSettingsService clinic)
{
    // A cell that starts with = + - @ (or tab, CR) is a formula to Excel: CsvHelper puts ' in front, so it reads as text.
    private static readonly CsvWriterOptions Csv = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };

    public static readonly string[] Header =
        ["Event id", "When (UTC)", "When (clinic time)", "Staff user id", "Staff", "Action", "Action name", "Client id", "Outcome", "Details"];

    public async Task WriteCsvAsync(AuditSearch search, StaffActor actor, Stream output, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            throw new UnauthorizedAccessException("Only an admin can export the audit log.");
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // Recorded before the first row leaves: an export cut short has still let rows out.
            audit.Add(db, actor, AuditActions.AuditExport, search.ClientId, AuditOutcome.Succeeded, search.Describe());
            await db.SaveChangesAsync(ct);
        }

        await using var csv = CsvWriter.Create(output, Csv, leaveOpen: true);
        csv.WriteHeader(Header);
        await foreach (var row in query.StreamAsync(search.ToFilter(zone), ct))
        {
            await csv.WriteRecordAsync(
            [
                row.Id.ToString(CultureInfo.InvariantCulture),
                row.AtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ClinicClock.ToClinicTime(row.AtUtc, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                row.StaffUserId,
                row.StaffDisplayName,
                row.Action,
                AuditActions.Label(row.Action),
                row.ClientId?.ToString(CultureInfo.InvariantCulture),
                row.Outcome.ToString(),
                row.Details,
            ], ct);
        }
        await csv.FlushAsync(ct);
    }
}
