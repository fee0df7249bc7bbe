using Serilog.AspNetCore;

namespace PortalApp.Infrastructure;

public static class RequestLogging
{
    /// <summary>
    /// One line per request: method, path (never the query string, which may carry tokens), status, time.
    /// Blazor's own circuit traffic is left out: it would drown the log.
    /// </summary>
    public static void Configure(RequestLoggingOptions options, IServiceProvider services)
    {
        // This host's own logger: the static Log.Logger is left alone so several hosts (tests) can run side by side.
        options.Logger = services.GetRequiredService<Serilog.ILogger>();
        options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0} ms";
        options.GetLevel = (context, _, exception) =>
            exception is not null || context.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
            : context.Request.Path.StartsWithSegments("/_blazor") || context.Request.Path.StartsWithSegments("/_framework")
                ? Serilog.Events.LogEventLevel.Verbose
                : Serilog.Events.LogEventLevel.Information;
    }
}
