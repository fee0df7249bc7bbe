using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.Bulk.Sends;

public static class BulkReportEndpoint
{
    public static string PathFor(long bulkSendId) => $"/bulk/{bulkSendId}/report.csv";

    /// <summary>GET a send's report as CSV: front desk and admins (a plain 403 for practitioners), 404 for a send that does not exist.</summary>
    public static IEndpointRouteBuilder MapBulkReportExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/bulk/{id:long}/report.csv", async Task<IResult> (long id, HttpContext context, ClaimsPrincipal user, BulkReportExport export, TimeProvider time) =>
        {
            var actor = StaffActor.From(user);
            if (!BulkSendService.MaySend(actor))
                return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
            if (!await export.ExistsAsync(id, context.RequestAborted))
                return TypedResults.NotFound();
            return TypedResults.Stream(stream => export.WriteCsvAsync(id, actor, stream, context.RequestAborted),
                "text/csv; charset=utf-8", $"bulk-send-{id}-report-{time.GetUtcNow():yyyy-MM-dd}.csv");
        }).RequireAuthorization(new AuthorizeAttribute { Roles = StaffRoles.AnyStaff });
        return endpoints;
    }
}
