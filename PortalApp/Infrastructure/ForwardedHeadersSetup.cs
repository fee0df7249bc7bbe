using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace PortalApp.Infrastructure;

public static class ForwardedHeadersSetup
{
    public const string KnownProxiesKey = "ForwardedHeaders:KnownProxies";

    /// <summary>
    /// Trust X-Forwarded-For/Proto only from the listed reverse proxies. Parsed here because the configuration
    /// binder cannot make IPAddress values and would silently ignore the setting.
    /// </summary>
    public static IServiceCollection AddPortalForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = new List<IPAddress>();
        foreach (var value in configuration.GetSection(KnownProxiesKey).Get<string[]>() ?? [])
        {
            if (!IPAddress.TryParse(value, out var address))
                throw new InvalidOperationException($"{KnownProxiesKey} holds '{value}', which is not an IP address.");
            proxies.Add(address);
        }
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                options.KnownProxies.Add(proxy);
        });
        return services;
    }
}
