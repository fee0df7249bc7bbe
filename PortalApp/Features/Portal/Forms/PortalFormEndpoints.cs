using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using PortalApp.Components.Shared;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Portal.Forms;

/// <summary>The form page's autosave: the screen's answers, a second after the patient stops typing, into the draft.</summary>
public static class PortalFormEndpoints
{
    public static void MapPortalFormEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/portal/forms/{assignmentId:int}/draft", async Task<IResult> (int assignmentId, HttpContext context, IAntiforgery antiforgery,
            PortalViewer viewer, PortalFormsService forms, ClinicSettingsService clinic) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            if (!await antiforgery.IsRequestValidAsync(context))
                return TypedResults.BadRequest(new { problem = "This page has expired. Reload it to go on." });
            // The cookie's policy already ran: a session without anyone to see does not get here.
            if (await viewer.CurrentAsync(context) is not { } session)
                return TypedResults.NotFound();
            var post = await context.Request.ReadFormAsync(context.RequestAborted);
            if (!int.TryParse(post["section"], CultureInfo.InvariantCulture, out var section))
                return TypedResults.BadRequest(new { problem = "Which section this is was not sent." });
            return await forms.SavePostedAsync(session, assignmentId, section, post, checkRequired: false, audited: false, context.RequestAborted) switch
            {
                FormSaveResult.Saved saved => TypedResults.Ok(new
                {
                    savedAt = Dates.FormatClinicClock(saved.SavedAtUtc, (await clinic.GetAsync(context.RequestAborted)).TimeZone),
                    problems = saved.Problems,
                }),
                FormSaveResult.Refused refused => TypedResults.Conflict(new { problem = refused.Reason }),
                _ => TypedResults.NotFound(),
            };
        })
        .RequireAuthorization(PatientAuth.Policy)
        .DisableAntiforgery() // validated above, explicitly
        .WithMetadata(new RequestSizeLimitAttribute(PortalFormPosts.MaxFieldsBytes),
            new RequestFormLimitsAttribute { ValueCountLimit = PortalFormPosts.MaxValues, BufferBodyLengthLimit = PortalFormPosts.MaxFieldsBytes });
    }
}
