using System.Text.RegularExpressions;
using Serilog.AspNetCore;
using Serilog.Events;

namespace PortalApp.Infrastructure;

public static partial class RequestLogging
{
    /// <summary>
    /// One line per request: method, path (never the query string; secret path segments masked), status, time.
    /// Blazor's own circuit traffic is left out: it would drown the log.
    /// </summary>
    public static void Configure(RequestLoggingOptions options, IServiceProvider services)
    {
        // This host's own logger: the static Log.Logger is left alone so several hosts (tests) can run side by side.
        options.Logger = services.GetRequiredService<Serilog.ILogger>();
        options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0} ms";
        options.GetMessageTemplateProperties = (context, path, elapsed, status) =>
        [
            new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
            new LogEventProperty("RequestPath", new ScalarValue(MaskSecrets(path))),
            new LogEventProperty("StatusCode", new ScalarValue(status)),
            new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
        ];
        options.GetLevel = (context, _, exception) =>
            // The browser left (a closed tab, a page changed mid-load): nothing failed here, so no error to chase.
            exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested ? LogEventLevel.Information
            : exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
            : context.Request.Path.StartsWithSegments("/_blazor") || context.Request.Path.StartsWithSegments("/_framework")
                || context.Request.Path.StartsWithSegments(HealthEndpoint.Path) // a monitor polls it; a failure is logged above
                ? LogEventLevel.Verbose
                : LogEventLevel.Information;
    }

    /// <summary>/register/{token} → /register/***, /appointment/{token} → /appointment/*** (and /unsubscribe/): a link's token must never reach a log file.</summary>
    public static string MaskSecrets(string path)
    {
        try
        {
            return SecretSegment().Replace(path, "$1***");
        }
        catch (RegexMatchTimeoutException)
        {
            // A path that could not be checked is not logged: it might hold a token.
            return "(path not logged: it could not be checked for secrets in time)";
        }
    }

    [GeneratedRegex(@"^(/register/|/appointment/|/unsubscribe/)[^/]+", RegexOptions.IgnoreCase, matchTimeoutMilliseconds: RegexTimeout.Milliseconds)]
    private static partial Regex SecretSegment();
}
