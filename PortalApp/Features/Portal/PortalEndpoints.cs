using Microsoft.AspNetCore.Antiforgery;
using PortalApp.Features.Portal.Forms;

namespace PortalApp.Features.Portal;

/// <summary>The portal's few plain endpoints: the open page's session check, the caregiver's switcher, sign-out.</summary>
public static class PortalEndpoints
{
    public static void MapPortalEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Polled by open portal pages (js/portal-session.js) so a page left open learns within seconds that access ended.
        endpoints.MapGet(PatientSessionProbe.Path, async (HttpContext context, PatientSessionProbe probe) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            var state = await probe.CheckAsync(context, context.Request.Query["viewing"]);
            return TypedResults.Ok(new { active = state.Active, ended = state.Ended, patientLost = state.PatientLost });
        }).AllowAnonymous();

        // The caregiver's patient switcher: any id the account may not see is answered like one that does not exist.
        endpoints.MapPost("/portal/viewing", async Task<IResult> (HttpContext context, IAntiforgery antiforgery, PortalViewer viewer) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return TypedResults.BadRequest();
            var form = await context.Request.ReadFormAsync();
            if (!int.TryParse(form["clientId"], System.Globalization.CultureInfo.InvariantCulture, out var clientId) || !await viewer.SwitchAsync(context, clientId))
                return TypedResults.NotFound();
            return TypedResults.LocalRedirect("~/portal");
        }).RequireAuthorization(PatientAuth.Policy).DisableAntiforgery(); // validated above, explicitly

        endpoints.MapPortalFormEndpoints();

        endpoints.MapPost("/portal/sign-out", async Task<IResult> (HttpContext context, IAntiforgery antiforgery, PatientSignInService patients) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return TypedResults.BadRequest();
            await patients.SignOutAsync(context);
            return TypedResults.LocalRedirect("~/portal/sign-in");
        }).DisableAntiforgery(); // validated above, explicitly
    }
}
