using Microsoft.AspNetCore.Authorization;
using PortalApp.Data;
using PortalApp.Security;

namespace PortalApp.Components.Account;

public static class StaffAuth
{
    /// <summary>Pages about one's own staff account: open to a full staff session and to the two-factor set-up session.</summary>
    public const string AccountPolicy = "StaffAccount";

    public static AuthorizationBuilder AddStaffAccountPolicy(this AuthorizationBuilder builder) =>
        builder.AddPolicy(AccountPolicy, policy => policy
            .AddAuthenticationSchemes(SessionCookies.StaffScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.HasClaim(c => c.Type == StaffSessionCheck.TwoFactorSetupClaim)
                || StaffRoles.All.Any(context.User.IsInRole)));

    /// <summary>Until two-factor is set up, that session opens nothing else: every other page sends it back to set-up.</summary>
    public static IApplicationBuilder UseTwoFactorSetupGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (context.User.HasClaim(c => c.Type == StaffSessionCheck.TwoFactorSetupClaim)
            && !path.StartsWithSegments("/account/two-factor") && !path.StartsWithSegments("/account/sign-out")
            && !path.StartsWithSegments("/_framework") && !path.StartsWithSegments("/_content") && !Path.HasExtension(path.Value))
        {
            context.Response.Redirect("/account/two-factor");
            return;
        }
        await next();
    });
}
