using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.Import;

public static class ExportEndpoint
{
    public const string ClientsPath = "/admin/import/export/clients.csv";
    public const string AppointmentsPath = "/admin/import/export/appointments.csv";

    /// <summary>GET the clinic's clients or appointments as CSV downloads (Admin only: a plain 403 for other staff).</summary>
    public static IEndpointRouteBuilder MapRecordsExport(this IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, ClientsPath, ImportKind.Clients, "clients");
        Map(endpoints, AppointmentsPath, ImportKind.Appointments, "appointments");
        return endpoints;
    }

    private static void Map(IEndpointRouteBuilder endpoints, string path, ImportKind kind, string name) =>
        endpoints.MapGet(path, IResult (HttpContext context, ClaimsPrincipal user, ExportService export, TimeProvider time) =>
        {
            var actor = StaffActor.From(user);
            if (!actor.IsAdmin)
                return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
            return TypedResults.Stream(stream => export.WriteCsvAsync(actor, kind, stream, context.RequestAborted),
                "text/csv; charset=utf-8", $"{name}-{time.GetUtcNow():yyyy-MM-dd}.csv");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = StaffRoles.AnyStaff });
}
