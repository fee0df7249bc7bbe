using PortalApp.Auditing;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using PortalApp.Data;

namespace PortalApp.Features.Audit;

public static class AuditExportEndpoint
{
    /// <summary>GET /admin/audit/export?action=&amp;clientId=&amp;from=&amp;to=: the Audit page's filter, as a CSV download.</summary>
    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AuditSearch.ExportPath, IResult (HttpContext context, ClaimsPrincipal user, AuditExportService export, TimeProvider time) =>
        {
            // Signed-in staff without the Admin role get a plain 403: this is a download, not a page to redirect to.
            var actor = StaffActor.From(user);
            if (!actor.IsAdmin)
                return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
            var (search, problem) = AuditSearch.Parse(context.Request.Query);
            if (search is null)
                return TypedResults.Text(problem, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

            var fileName = $"audit-log-{time.GetUtcNow():yyyy-MM-dd}.csv";
            return TypedResults.Stream(
                stream => export.WriteCsvAsync(search, actor, stream, context.RequestAborted), "text/csv; charset=utf-8", fileName);
        }).RequireAuthorization(new AuthorizeAttribute { Roles = StaffRoles.AnyStaff });
        return endpoints;
    }
}
