using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Infrastructure;
using Serilog.AspNetCore;
using Serilog.Events;

namespace PortalApp.Tests.Web;

/// <summary>What the one-line-per-request log calls an error: only what the server got wrong.</summary>
public sealed class RequestLoggingLevelTests
{
    private static readonly RequestLoggingOptions Options = Configured();

    [Fact]
    public void A_request_the_browser_abandoned_is_not_logged_as_an_error()
    {
        using var left = new CancellationTokenSource();
        left.Cancel();
        var context = new DefaultHttpContext { RequestAborted = left.Token };
        context.Request.Path = "/portal";

        Assert.Equal(LogEventLevel.Information, Options.GetLevel(context, 12, new TaskCanceledException()));
    }

    [Fact]
    public void A_cancellation_while_the_browser_still_waits_is_an_error()
    {
        var context = new DefaultHttpContext();
        context.Request.Path = "/portal";

        Assert.Equal(LogEventLevel.Error, Options.GetLevel(context, 12, new TaskCanceledException()));
        Assert.Equal(LogEventLevel.Error, Options.GetLevel(context, 12, new InvalidOperationException()));
    }

    private static RequestLoggingOptions Configured()
    {
        var options = new RequestLoggingOptions();
        var services = new ServiceCollection().AddSingleton<Serilog.ILogger>(Serilog.Core.Logger.None).BuildServiceProvider();
        RequestLogging.Configure(options, services);
        return options;
    }
}
