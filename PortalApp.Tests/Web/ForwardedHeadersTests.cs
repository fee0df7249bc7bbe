using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

public sealed class ForwardedHeadersTests
{
    [Fact]
    public async Task Only_the_configured_proxies_are_trusted_with_forwarded_headers()
    {
        await using var factory = new PortalAppFactory()
            .With("ForwardedHeaders:KnownProxies:0", "192.0.2.10")
            .With("ForwardedHeaders:KnownProxies:1", "2001:db8::7");
        factory.CreateClient().Dispose();

        var options = factory.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Equal([IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::7")], options.KnownProxies);
        Assert.Empty(options.KnownIPNetworks);
    }

    [Fact]
    public async Task A_proxy_that_is_not_an_ip_address_stops_the_start_with_the_settings_name()
    {
        await using var factory = new PortalAppFactory().With("ForwardedHeaders:KnownProxies:0", "proxy.local");

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("ForwardedHeaders:KnownProxies holds 'proxy.local'", error.Message);
    }
}
