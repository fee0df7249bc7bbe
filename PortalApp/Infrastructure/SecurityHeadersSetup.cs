using Microsoft.AspNetCore.StaticAssets;

namespace PortalApp.Infrastructure;

public static class SecurityHeadersSetup
{
    /// <summary>Pages whose address holds a secret (an invite, password-reset, reminder or unsubscribe link's token) send no Referer at all.</summary>
    public const string SecretLinkPolicy = "SecretLink";

    /// <summary>
    /// One policy for every response. Scripts only from our own origin (no inline script: Blazor and MudBlazor ship
    /// files); inline styles are allowed because MudBlazor sets style attributes.
    /// </summary>
    public static IServiceCollection AddPortalSecurityHeaders(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddPortalAntiforgery(environment);
        services.AddSecurityHeaderPolicies()
            .SetDefaultPolicy(policy => Common(policy, environment).AddReferrerPolicyStrictOriginWhenCrossOrigin())
            .AddPolicy(SecretLinkPolicy, policy => Common(policy, environment).AddReferrerPolicyNoReferrer())
            .SetPolicySelector(context => context.HttpContext.Request.Path.StartsWithSegments("/register")
                    || context.HttpContext.Request.Path.StartsWithSegments("/portal/reset-password")
                    || context.HttpContext.Request.Path.StartsWithSegments(Features.Reminders.ReminderLinks.PathPrefix.TrimEnd('/'))
                    || context.HttpContext.Request.Path.StartsWithSegments(Features.Clinic.ClinicView.UnsubscribeLinkPath.TrimEnd('/'))
                ? context.ConfiguredPolicies[SecretLinkPolicy]
                : context.SelectedPolicy);
        return services;
    }

    /// <summary>
    /// Health data must not stay in a browser's or a shared proxy's cache (the back button on a shared computer):
    /// every response says no-store, except the static files (scripts, styles, fonts), which hold none.
    /// </summary>
    public static IApplicationBuilder UseNoStoreExceptStaticFiles(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
                context.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    });

    private static HeaderPolicyCollection Common(HeaderPolicyCollection policy, IHostEnvironment environment)
    {
        policy.AddFrameOptionsDeny()
            .AddContentTypeOptionsNoSniff()
            .RemoveServerHeader()
            .AddCrossOriginOpenerPolicy(x => x.SameOrigin())
            .AddPermissionsPolicy(p =>
            {
                p.AddCamera().None();
                p.AddMicrophone().None();
                p.AddGeolocation().None();
                p.AddPayment().None();
            })
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                csp.AddScriptSrc().Self();
                csp.AddStyleSrc().Self().UnsafeInline();
                csp.AddImgSrc().Self().Data();
                csp.AddFontSrc().Self().Data();
                csp.AddConnectSrc().Self();
                csp.AddObjectSrc().None();
                // OWASP ASVS 5.0 3.4.3: no <base> at all (App.razor has none; js/blazor-start.js gives Blazor its root).
                csp.AddBaseUri().None();
                csp.AddFormAction().Self();
                csp.AddFrameAncestors().None();
            });
        if (!environment.IsDevelopment())
            policy.AddStrictTransportSecurityMaxAgeIncludeSubDomains(maxAgeInSeconds: 60 * 60 * 24 * 365);
        return policy;
    }
}
