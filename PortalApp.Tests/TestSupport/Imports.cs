using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Import;

namespace PortalApp.Tests.TestSupport;

/// <summary>Runs an import job to its end on the test's own thread: the job row, then the runner, as the page's Import button does.</summary>
public static class Imports
{
    public static async Task<ImportJob> RunAsync(ServiceTestHost host, ImportRequest request, StaffActor? actor = null,
        CancellationToken ct = default, Action<int>? onProgress = null)
    {
        actor ??= Staff.Admin;
        var job = await host.Scoped<ImportService>().CreateJobAsync(actor, request, ct) ?? throw new InvalidOperationException("Another import is running.");
        await host.Get<ImportRunner>().RunAsync(job.Id, request, actor, ct, onProgress);
        await using var db = await host.DbAsync();
        return await db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == job.Id);
    }

    public static async Task<ImportPreview> PreviewAsync(ServiceTestHost host, ImportRequest request) =>
        Assert.IsType<ImportPreviewResult.Ready>(await host.Scoped<ImportService>().PreviewAsync(Staff.Admin, request)).Preview;
}
