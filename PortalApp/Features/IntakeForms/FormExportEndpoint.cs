using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.IntakeForms;

public static class FormExportEndpoint
{
    /// <summary>The download address of a form as a FHIR Questionnaire: a version's, or without one the latest published.</summary>
    public static string PathFor(int formId, int? number = null) =>
        number is { } n ? $"/admin/forms/{formId}/questionnaire.json?version={n}" : $"/admin/forms/{formId}/questionnaire.json";

    /// <summary>GET a form as FHIR R4 Questionnaire JSON (admins and practitioners; a plain 403 for other staff).</summary>
    public static IEndpointRouteBuilder MapIntakeFormExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/forms/{formId:int}/questionnaire.json",
            async Task<IResult> (int formId, int? version, ClaimsPrincipal user, IntakeFormService forms, CancellationToken ct) =>
            {
                var actor = StaffActor.From(user);
                if (!IntakeFormService.MayEdit(actor))
                    return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
                return await forms.ExportAsync(formId, version, actor, ct) is { } export
                    ? TypedResults.File(Encoding.UTF8.GetBytes(export.Json), "application/fhir+json", export.FileName)
                    : TypedResults.NotFound();
                        // Any staff gets past the sign-in check; front desk then gets a plain 403 (a download, not a page to redirect to).
            }).RequireAuthorization(new AuthorizeAttribute { Roles = StaffRoles.AnyStaff });
        return endpoints;
    }
}
