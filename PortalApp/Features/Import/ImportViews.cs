using PortalApp.Data;

namespace PortalApp.Features.Import;

/// <summary>What staff chose on the page: the file, which column fills each field, how dates are written.</summary>
public sealed record ImportRequest(ImportKind Kind, CsvTable Table, IReadOnlyDictionary<string, int> Mapping, DateFormat DateFormat, bool ValidRowsOnly = false);

/// <param name="Line">The row's line in the file, as a spreadsheet numbers it (the header is line 1).</param>
public sealed record RefusedRow(int Line, string Reason);

/// <summary>The dry run: what an import of the file would do now. <see cref="RefusedRows"/> lists at most <see cref="MaxListed"/>.</summary>
public sealed record ImportPreview(int Total, int Created, int Updated, int Unchanged, int Refused, IReadOnlyList<RefusedRow> RefusedRows)
{
    public const int MaxListed = 1_000;
}

public abstract record ImportPreviewResult
{
    public sealed record Ready(ImportPreview Preview) : ImportPreviewResult;
    public sealed record Refused(string Message) : ImportPreviewResult;
}

public abstract record ImportStartResult
{
    public sealed record Started(int JobId) : ImportStartResult;
    public sealed record Refused(string Message) : ImportStartResult;
}

/// <summary>A job as the page shows it: its row, and while it runs the progress the runner reports.</summary>
public sealed record ImportJobView(
    int Id, ImportKind Kind, string FileName, ImportJobStatus Status, bool ValidRowsOnly, int TotalRows, int ProcessedRows,
    int Created, int Updated, int Unchanged, int Refused, string? Error, string StartedByName, DateTime StartedAtUtc, DateTime? FinishedAtUtc)
{
    public int Percent => TotalRows == 0 ? 0 : Math.Clamp(ProcessedRows * 100 / TotalRows, 0, 100);

    /// <param name="processed">The runner's live count; once the row says the job ended, the row's own count is final.</param>
    public static ImportJobView From(ImportJob j, int? processed = null) => new(j.Id, j.Kind, j.FileName, j.Status, j.ValidRowsOnly, j.TotalRows,
        j.Status == ImportJobStatus.Running ? processed ?? j.ProcessedRows : j.ProcessedRows, j.Created, j.Updated, j.Unchanged, j.Refused, j.Error, j.StartedByName, j.StartedAtUtc, j.FinishedAtUtc);
}

/// <summary>What rows are checked against: the clinic's day, zone and phone region, and whether it allows double bookings.</summary>
internal sealed record ImportContext(DateOnly Today, TimeZoneInfo Zone, string PhoneRegion, bool AllowOverlaps, DateTime NowUtc, string StaffUserId, string StaffName);

/// <summary>The rows of a file sorted into what an import will do, ready to be written in one transaction.</summary>
internal abstract class ImportPlan
{
    public int Total { get; init; }
    public DateTime NowUtc { get; init; }
    public string? StaffUserId { get; init; }
    public string StaffName { get; init; } = "";
    public int Unchanged { get; set; }
    public List<RefusedRow> Refused { get; } = [];
    public abstract int Created { get; }
    public abstract int Updated { get; }

    /// <summary>Writes the plan; reports the number of rows saved so far.</summary>
    public abstract Task WriteAsync(PortalDbContext db, Action<int> saved, CancellationToken ct);

    public ImportPreview ToPreview() =>
        new(Total, Created, Updated, Unchanged, Refused.Count, Refused.Take(ImportPreview.MaxListed).ToList());

    protected void Refuse(CsvRow row, string reason) => Refused.Add(new RefusedRow(row.Line, reason));

    /// <summary>Stages each batch, saves it and forgets it: the change tracker stays small for 100,000 rows.</summary>
    protected static async Task SaveInBatchesAsync<T>(PortalDbContext db, IReadOnlyList<T> items, Func<T[], Task> stage, Action<int> saved, CancellationToken ct)
    {
        foreach (var batch in items.Chunk(ImportRunner.BatchSize))
        {
            await stage(batch);
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            saved(batch.Length);
        }
    }
}
