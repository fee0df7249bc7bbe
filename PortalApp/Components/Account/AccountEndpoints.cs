using System.Security.Claims;
using PortalApp.Features.Audit;

namespace PortalApp.Components.Account;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with antiforgery (a GET could be triggered by any link or image).</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/sign-out", async (ClaimsPrincipal user, StaffSignInService signIn) =>
        {
            var actor = user.Identity?.IsAuthenticated == true ? StaffActor.From(user) : null;
            await signIn.SignOutAsync(actor);
            return TypedResults.LocalRedirect("~/account/sign-in?signedOut=true");
        });
    }
}
