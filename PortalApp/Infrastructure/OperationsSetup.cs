using PortalApp.Features.Audit;

namespace PortalApp.Infrastructure;

/// <summary>What an IT person runs the clinic's installation with: the audit export.</summary>
public static class OperationsSetup
{
    public static IServiceCollection AddPortalOperations(this IServiceCollection services) =>
        services.AddScoped<AuditExportService>();

    public static IEndpointRouteBuilder MapPortalOperations(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapAuditExport();
}
