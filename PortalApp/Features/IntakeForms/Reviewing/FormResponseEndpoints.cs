using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.IntakeForms.Reviewing;

/// <summary>
/// GET downloads of a response for staff: the PDF kept at submission (byte for byte) and the FHIR QuestionnaireResponse.
/// The client id is part of the address and of every query, so another client's response id answers 404.
/// </summary>
public static class FormResponseEndpoints
{
    public static string PdfPath(int clientId, int responseId) => $"/clients/{clientId}/forms/{responseId}/pdf";
    public static string FhirPath(int clientId, int responseId) => $"/clients/{clientId}/forms/{responseId}/fhir";

    public static IEndpointRouteBuilder MapFormResponseDownloads(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/clients/{clientId:int}/forms/{responseId:int}/pdf",
                async Task<IResult> (int clientId, int responseId, ClaimsPrincipal user, FormReviewService reviews, HttpContext context) =>
                    File(await reviews.PdfAsync(clientId, responseId, StaffActor.From(user), context.RequestAborted)))
            .RequireAuthorization(new AuthorizeAttribute { Roles = StaffRoles.AnyStaff });
        endpoints.MapGet("/clients/{clientId:int}/forms/{responseId:int}/fhir",
                async Task<IResult> (int clientId, int responseId, ClaimsPrincipal user, FormReviewService reviews, HttpContext context) =>
                    File(await reviews.FhirAsync(clientId, responseId, StaffActor.From(user), context.RequestAborted)))
            .RequireAuthorization(new AuthorizeAttribute { Roles = StaffRoles.AnyStaff });
        return endpoints;
    }

    private static IResult File(ResponseDownload? download) => download is null
        ? TypedResults.NotFound()
        : TypedResults.File(download.Bytes, download.ContentType, download.FileName);
}
