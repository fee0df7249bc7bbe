using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Import;

/// <summary>
/// Runs each import as one job off the request: checks every row again (the database may have changed since the dry
/// run), then writes all of it in one transaction, so a failure, a stop or a crash leaves nothing half-imported.
/// Progress lives here, in memory: the job's row cannot show it, because other connections see the row only when the
/// transaction commits.
/// </summary>
public sealed class ImportRunner(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ClinicSettingsService clinic, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<ImportRunner> logger)
{
    /// <summary>Rows per SaveChanges: measured in the benchmark, larger batches gained nothing.</summary>
    public const int BatchSize = 2_000;

    public const string InterruptedMessage = "The import stopped before it finished (the server stopped or restarted). Nothing from it was saved: run it again.";

    private readonly ConcurrentDictionary<int, int> _progress = new();

    public int? Progress(int jobId) => _progress.TryGetValue(jobId, out var done) ? done : null;

    public bool IsRunning => !_progress.IsEmpty;

    internal void Start(int jobId, ImportRequest request, StaffActor actor)
    {
        _progress[jobId] = 0;
        _ = Task.Run(() => RunAsync(jobId, request, actor, lifetime.ApplicationStopping));
    }

    internal static async Task<ImportContext> ContextAsync(PortalDbContext db, ClinicSettingsService clinic, TimeProvider time, StaffActor actor, CancellationToken ct)
    {
        var view = await clinic.GetAsync(ct);
        var settings = await db.ClinicSettings.AsNoTracking().Select(s => new { s.PhoneRegion, s.AllowOverlappingAppointments }).SingleAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        return new ImportContext(DateOnly.FromDateTime(ClinicClock.ToClinicTime(now, view.TimeZone)), view.TimeZone, settings.PhoneRegion,
            settings.AllowOverlappingAppointments, now, actor.UserId, actor.DisplayName);
    }

    internal static async Task<ImportPlan> PlanAsync(PortalDbContext db, ImportRequest request, ImportContext context, Action<int> checkedRows, CancellationToken ct) =>
        request.Kind == ImportKind.Clients
            ? await ClientImport.PlanAsync(db, request, context, checkedRows, ct)
            : await AppointmentImport.PlanAsync(db, request, context, checkedRows, ct);

    /// <param name="onProgress">For tests: called with the rows done so far (checked, then saved) after each step.</param>
    internal async Task RunAsync(int jobId, ImportRequest request, StaffActor actor, CancellationToken ct, Action<int>? onProgress = null)
    {
        var done = 0;
        void Step(int rows)
        {
            done += rows;
            // Each row is checked, then (unless unchanged or refused) saved: half a step each.
            _progress[jobId] = done / 2;
            onProgress?.Invoke(done);
        }
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            // Clinic-wide, and every practitioner's time: bookings made meanwhile cannot slip past the import's clash checks.
            await using var transaction = await WriteLock.BeginClinicWideAsync(db, ct);
            await WriteLock.HoldAsync<Practitioner>(db, await db.Practitioners.Select(p => (object)p.Id).ToListAsync(ct), ct);
            var context = await ContextAsync(db, clinic, time, actor, ct);
            var plan = await PlanAsync(db, request, context, Step, ct);
            if (plan.Refused.Count > 0 && !request.ValidRowsOnly)
            {
                await transaction.RollbackAsync(ct);
                await FinishAsync(jobId, ImportJobStatus.Failed, plan, 0, null,
                    $"{plan.Refused.Count:N0} of {plan.Total:N0} rows were refused, so nothing was imported. Correct them and import the file again, or tick \"Import the valid rows\".");
                return;
            }
            await plan.WriteAsync(db, Step, ct);
            // Loaded after the writes, which clear the change tracker between batches.
            var job = await db.ImportJobs.SingleAsync(j => j.Id == jobId, ct);
            job.TotalRows = plan.Total;
            Finish(job, ImportJobStatus.Succeeded, plan, plan.Total, null);
            audit.Add(db, actor, AuditActions.ImportRun, null, AuditOutcome.Succeeded, Describe(request, plan));
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(jobId, ImportJobStatus.Interrupted, null, 0, actor, InterruptedMessage);
        }
        catch (Exception ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            await FinishAsync(jobId, ImportJobStatus.Failed, null, 0, actor,
                "The server could not save the import: its disk is full or the database is busy. Nothing was imported. Tell your IT person, then run it again.");
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Import job {JobId} failed", jobId);
            await FinishAsync(jobId, ImportJobStatus.Failed, null, 0, actor, "The import failed unexpectedly and nothing was imported. Tell your IT person (the server log has the details).");
        }
        finally
        {
            _progress.TryRemove(jobId, out _);
        }
    }

    private static string Describe(ImportRequest request, ImportPlan plan) =>
        $"{request.Kind}: {plan.Total} rows, {plan.Created} created, {plan.Updated} updated, {plan.Unchanged} unchanged, {plan.Refused.Count} refused" +
        (request.ValidRowsOnly ? " (valid rows only)" : "");

    private void Finish(ImportJob job, ImportJobStatus status, ImportPlan? plan, int processed, string? error)
    {
        job.Status = status;
        job.ProcessedRows = processed;
        job.Created = plan?.Created ?? 0;
        job.Updated = plan?.Updated ?? 0;
        job.Unchanged = plan?.Unchanged ?? 0;
        job.Refused = plan?.Refused.Count ?? job.Refused;
        job.Error = error;
        job.FinishedAtUtc = time.GetUtcNow().UtcDateTime;
        if (status != ImportJobStatus.Succeeded)
            (job.Created, job.Updated, job.Unchanged) = (0, 0, 0);
    }

    /// <summary>Records how a job ended that wrote nothing, on a connection of its own (the import's was rolled back).</summary>
    private async Task FinishAsync(int jobId, ImportJobStatus status, ImportPlan? plan, int processed, StaffActor? actor, string error)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var job = await db.ImportJobs.SingleAsync(j => j.Id == jobId);
            Finish(job, status, plan, processed, error);
            // The job's end first, on its own: on a full disk an update in place may still fit where a new audit row does not.
            await db.SaveChangesAsync(CancellationToken.None);
            audit.Add(db, actor, AuditActions.ImportRun, null, AuditOutcome.Failed, $"{job.Kind}: {status}, nothing imported");
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The job stays Running in the database; the next start-up marks it Interrupted.
            logger.LogError(ex, "Could not record the end of import job {JobId}", jobId);
        }
    }

    /// <summary>At start-up: a job still Running was cut off by a stop or a crash, and its transaction never committed.</summary>
    public static async Task MarkInterruptedAsync(PortalDbContext db, DateTime nowUtc, CancellationToken ct = default)
    {
        var running = await db.ImportJobs.Where(j => j.Status == ImportJobStatus.Running).ToListAsync(ct);
        foreach (var job in running)
            (job.Status, job.Error, job.FinishedAtUtc, job.ProcessedRows) = (ImportJobStatus.Interrupted, InterruptedMessage, nowUtc, 0);
        if (running.Count > 0)
            await db.SaveChangesAsync(ct);
    }
}
