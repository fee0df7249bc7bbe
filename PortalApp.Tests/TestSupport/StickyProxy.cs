using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// A reverse proxy in front of several app instances, as nginx stands in front of them in production (docs/deploy/
/// nginx.conf): YARP on a free loopback port, with sticky sessions by cookie. Each answer names the instance that gave
/// it (X-Served-By). <see cref="Route"/> replaces the instances, as a health check takes a stopped one out.
/// </summary>
public sealed class StickyProxy : IAsyncDisposable
{
    public const string ServedBy = "X-Served-By";
    private readonly WebApplication _app;

    private StickyProxy(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<StickyProxy> StartAsync(IReadOnlyDictionary<string, string> instances)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddReverseProxy()
            .LoadFromMemory([Route], [Cluster(instances)])
            .AddTransforms(context => context.AddResponseTransform(transform =>
            {
                if (transform.HttpContext.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is { } destination)
                    transform.HttpContext.Response.Headers[ServedBy] = destination.DestinationId;
                return ValueTask.CompletedTask;
            }));
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new StickyProxy(app, app.Urls.First().TrimEnd('/'));
    }

    /// <summary>From now on the proxy knows only these instances (name → base address).</summary>
    public void RouteTo(IReadOnlyDictionary<string, string> instances) =>
        _app.Services.GetRequiredService<InMemoryConfigProvider>().Update([Route], [Cluster(instances)]);

    public HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true })
    {
        BaseAddress = new Uri(BaseUrl),
    };

    private static RouteConfig Route => new() { RouteId = "portal", ClusterId = "portal", Match = new RouteMatch { Path = "{**path}" } };

    private static ClusterConfig Cluster(IReadOnlyDictionary<string, string> instances) => new()
    {
        ClusterId = "portal",
        // Blazor Server keeps a circuit's state in one instance's memory: a browser must keep going to that one.
        SessionAffinity = new SessionAffinityConfig
        {
            Enabled = true,
            Policy = "Cookie",
            FailurePolicy = "Redistribute",
            AffinityKeyName = "PortalApp.Instance",
        },
        Destinations = instances.ToDictionary(i => i.Key, i => new DestinationConfig { Address = i.Value }),
    };

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
