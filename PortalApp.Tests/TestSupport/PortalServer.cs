using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace PortalApp.Tests.TestSupport;

/// <summary>The app on a real Kestrel socket (a free port on 127.0.0.1), for a real browser.</summary>
public sealed class PortalServer : PortalAppFactory
{
    public string BaseUrl { get; private set; } = "";

    public static PortalServer Start(Action<PortalAppFactory>? configure = null)
    {
        var server = new PortalServer();
        configure?.Invoke(server);
        server.UseKestrel(0);
        server.StartServer();
        server.BaseUrl = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
        return server;
    }
}
