using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Bulk.Sends;

/// <summary>
/// A send's report as CSV: one row per recipient, streamed (a send can reach 20,000 patients), UTF-8 with a BOM,
/// formula-safe like the records export, and audited before the first row leaves.
/// </summary>
public sealed class BulkReportExport(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ClinicSettingsService clinic)
{
    public static readonly string[] Columns = ["Name", "Address", "Outcome", "Reason", "Processed at"];

    // A cell starting with = + - @ gets a leading ' so a spreadsheet shows it instead of running it (as ExportService).
    private static readonly CsvWriterOptions Csv = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Checked before the download starts, so a wrong id gets a 404 rather than an empty file.</summary>
    public async Task<bool> ExistsAsync(long bulkSendId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.BulkSends.AnyAsync(b => b.Id == bulkSendId, ct);
    }

    public async Task<Outcome> WriteCsvAsync(long bulkSendId, StaffActor actor, Stream output, CancellationToken ct = default)
    {
        if (!BulkSendService.MaySend(actor))
            return Outcome.Refuse(BulkSendService.NotAllowed);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var send = await db.BulkSends.AsNoTracking().Where(b => b.Id == bulkSendId).Select(b => new { b.Title }).SingleOrDefaultAsync(ct);
        if (send is null)
            return Outcome.Refuse("This bulk send no longer exists.");
        var count = await db.BulkRecipients.CountAsync(r => r.BulkSendId == bulkSendId, ct);
        // Recorded before the first row leaves: a download cut short has still let names out.
        audit.Add(db, actor, AuditActions.BulkReportExport, null, AuditOutcome.Succeeded, $"Bulk send {bulkSendId} '{send.Title}': {count} rows");
        await db.SaveChangesAsync(ct);

        var zone = (await clinic.GetAsync(ct)).TimeZone;
        await output.WriteAsync(Bom, ct);
        await using var csv = CsvWriter.Create(output, Csv, leaveOpen: true);
        csv.WriteHeader(Columns);
        await foreach (var row in BulkSendQueries.AllRows(db, bulkSendId, ct).WithCancellation(ct))
        {
            var outcome = row.UnsubscribedAtUtc is { } unsubscribed
                ? $"{BulkOutcomes.Label(row.Outcome)}; unsubscribed {ClinicTime.ToWallClock(unsubscribed, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
                : BulkOutcomes.Label(row.Outcome);
            var processed = row.ProcessedAtUtc is { } at ? ClinicTime.ToWallClock(at, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null;
            await csv.WriteRecordAsync([row.Name, row.Address, outcome, row.Reason, processed], ct);
        }
        await csv.FlushAsync(ct);
        return Outcome.Ok;
    }
}
