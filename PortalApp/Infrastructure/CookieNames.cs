namespace PortalApp.Infrastructure;

/// <summary>
/// The one place that names the app's cookies for an environment. Outside Development each name carries the
/// <c>__Host-</c> prefix, which a browser accepts only on a Secure cookie with Path=/ and no Domain: no subdomain and
/// no plain-HTTP page can plant or overwrite it. Development keeps the plain names, for http://localhost.
/// </summary>
public static class CookieNames
{
    public const string HostPrefix = "__Host-";

    /// <summary>Antiforgery's own default name is kept in Development; outside it, this one, with the prefix.</summary>
    public const string Antiforgery = "PortalApp.Antiforgery";

    public static string For(string name, IHostEnvironment environment) => environment.IsDevelopment() ? name : HostPrefix + name;

    /// <summary>The antiforgery cookie of Razor components' forms: Secure and prefixed like the sign-in cookies.</summary>
    public static IServiceCollection AddPortalAntiforgery(this IServiceCollection services, IHostEnvironment environment) =>
        services.AddAntiforgery(options =>
        {
            if (environment.IsDevelopment())
                return;
            options.Cookie.Name = For(Antiforgery, environment);
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.Path = "/";
        });
}
