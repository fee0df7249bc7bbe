using PortalApp.Features.Audit;
using PortalApp.Features.Import;
using PortalApp.Email;
using PortalApp.Auditing;

namespace PortalApp.Infrastructure;

/// <summary>What an IT person runs the clinic's installation with: the audit export, /healthz, the dispatcher's heartbeat.</summary>
public static class OperationsSetup
{
    public static IServiceCollection AddPortalOperations(this IServiceCollection services)
    {
        services.AddScoped<AuditExportService>();
        services.AddSingleton<OutboxHeartbeat>();
        return services.AddPortalHealthChecks();
    }

    public static IEndpointRouteBuilder MapPortalOperations(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapAuditExport().MapRecordsExport().MapPortalHealthChecks();
}
