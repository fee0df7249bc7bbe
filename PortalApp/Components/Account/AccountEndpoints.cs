using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using PortalApp.Auditing;

namespace PortalApp.Components.Account;

public static class AccountEndpoints
{
    /// <summary>Staff sign-out is a POST with an antiforgery token, so no other site can sign staff out behind their back.</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/sign-out", async Task<IResult> (HttpContext context, ClaimsPrincipal user, IAntiforgery antiforgery, StaffSignInService signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return TypedResults.BadRequest();
            var actor = user.Identity?.IsAuthenticated == true ? StaffActor.From(user) : null;
            await signIn.SignOutAsync(context, actor);
            return TypedResults.LocalRedirect("~/account/sign-in?signedOut=true");
        }).DisableAntiforgery(); // validated above, explicitly: this endpoint binds no form fields
    }
}
