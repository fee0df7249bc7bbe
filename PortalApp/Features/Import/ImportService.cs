using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Import;

/// <summary>The Import page's service: read a file, dry-run it, start the job, follow it. Admins only, checked here.</summary>
public sealed class ImportService(IDbContextFactory<PortalDbContext> dbFactory, ImportRunner runner, ClinicSettingsService clinic, TimeProvider time)
{
    public const string AdminOnly = "Only an admin can import or export clinic records.";

    /// <param name="size">The size the browser gave: a bigger file is refused before a byte of it is read.</param>
    /// <param name="open">Opens the upload allowing at most the given number of bytes (the limit + 1, to see it is passed).</param>
    public async Task<CsvReadResult> ReadAsync(StaffActor actor, string fileName, long size, Func<long, Stream> open, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return new CsvReadResult.Refused(AdminOnly);
        if (size > CsvFile.MaxBytes)
            return CsvFile.TooBig;
        await using var content = open(CsvFile.MaxBytes + 1);
        return await CsvFile.ReadAsync(fileName, content, ct);
    }

    /// <summary>The dry run: the same checks the job makes, with nothing written.</summary>
    public async Task<ImportPreviewResult> PreviewAsync(StaffActor actor, ImportRequest request, CancellationToken ct = default)
    {
        if (Refusal(actor, request) is { } refusal)
            return new ImportPreviewResult.Refused(refusal);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await ImportRunner.ContextAsync(db, clinic, time, actor, ct);
        var plan = await ImportRunner.PlanAsync(db, request, context, _ => { }, ct);
        return new ImportPreviewResult.Ready(plan.ToPreview());
    }

    public async Task<ImportStartResult> StartAsync(StaffActor actor, ImportRequest request, CancellationToken ct = default)
    {
        if (Refusal(actor, request) is { } refusal)
            return new ImportStartResult.Refused(refusal);
        var job = await CreateJobAsync(actor, request, ct);
        if (job is null)
            return new ImportStartResult.Refused("An import is already running. Wait for it to finish, then start this one.");
        runner.Start(job.Id, request, actor);
        return new ImportStartResult.Started(job.Id);
    }

    /// <summary>The job row, Running; null when another job runs (one at a time: each holds the clinic-wide write lock).</summary>
    internal async Task<ImportJob?> CreateJobAsync(StaffActor actor, ImportRequest request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await WriteLock.BeginClinicWideAsync(db, ct);
        if (runner.IsRunning || await db.ImportJobs.AnyAsync(j => j.Status == ImportJobStatus.Running, ct))
            return null;
        var job = new ImportJob
        {
            Kind = request.Kind, FileName = request.Table.FileName.Length > 255 ? request.Table.FileName[..255] : request.Table.FileName,
            Status = ImportJobStatus.Running, ValidRowsOnly = request.ValidRowsOnly, TotalRows = request.Table.Rows.Count,
            StartedByUserId = actor.UserId, StartedByName = actor.DisplayName, StartedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.ImportJobs.Add(job);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return job;
    }

    public async Task<ImportJobView?> GetJobAsync(StaffActor actor, int jobId, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ImportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct);
        return job is null ? null : ImportJobView.From(job, runner.Progress(jobId));
    }

    /// <summary>The last job, so staff who left the page while it ran find it again.</summary>
    public async Task<ImportJobView?> LatestJobAsync(StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ImportJobs.AsNoTracking().OrderByDescending(j => j.Id).FirstOrDefaultAsync(ct);
        return job is null ? null : ImportJobView.From(job, runner.Progress(job.Id));
    }

    private static string? Refusal(StaffActor actor, ImportRequest request) =>
        !actor.IsAdmin ? AdminOnly : ImportFields.MappingProblem(request.Kind, request.Mapping, request.Table.Headers.Count);
}
