using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PortalApp.Data;
using PortalApp.Email;

namespace PortalApp.Infrastructure;

/// <summary>
/// GET /healthz for a monitor: 200 when the database answers and the email dispatcher is alive, 503 when not, with
/// a small JSON body. Anonymous, so it says nothing a stranger could use: statuses, fixed sentences and two counts;
/// never an exception message, a path, a version, a name or an address.
/// </summary>
public static class HealthEndpoint
{
    public const string Path = "/healthz";
    private const string WaitingEmails = "waitingEmails";
    private const string FailedEmails = "failedEmails";

    public static IServiceCollection AddPortalHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<EmailDispatcherCheck>("emailDispatcher");
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var data = report.Entries.Values.SelectMany(e => e.Data).ToDictionary(d => d.Key, d => d.Value);
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
            emails = new { waiting = data.GetValueOrDefault(WaitingEmails), failed = data.GetValueOrDefault(FailedEmails) },
        }));
    }

    /// <summary>The database can be opened and read; the read is the outbox's counts, which a monitor wants anyway.</summary>
    private sealed class DatabaseCheck(IDbContextFactory<PortalDbContext> dbFactory, ILogger<DatabaseCheck> logger) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var counts = await db.OutboxEmails.AsNoTracking()
                    .Where(o => o.Status != OutboxStatus.Sent)
                    .GroupBy(o => o.Status)
                    .Select(g => new { Status = g.Key, Count = g.Count() })
                    .ToDictionaryAsync(g => g.Status, g => g.Count, ct);
                return HealthCheckResult.Healthy("The database answers.", new Dictionary<string, object>
                {
                    [WaitingEmails] = counts.GetValueOrDefault(OutboxStatus.Pending),
                    [FailedEmails] = counts.GetValueOrDefault(OutboxStatus.Failed),
                });
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("Health check: the database cannot be read ({ErrorType})", ex.GetType().Name);
                return HealthCheckResult.Unhealthy("The database cannot be read.");
            }
        }
    }

    private sealed class EmailDispatcherCheck(OutboxHeartbeat heartbeat) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            var seconds = (int)heartbeat.SinceLastBeat.TotalSeconds;
            return Task.FromResult(heartbeat.IsStale
                ? HealthCheckResult.Unhealthy($"The email dispatcher has not run for {seconds} s: emails are not being sent.")
                : HealthCheckResult.Healthy($"The email dispatcher ran {seconds} s ago."));
        }
    }
}
