using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace PortalApp.Infrastructure;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Form submissions (sign-in, registration) allowed per client address per minute.</summary>
    [Range(1, 10_000)]
    public int PortalFormsPerMinute { get; set; } = 20;

    /// <summary>Staff sign-in posts per client address per minute. Generous: a clinic's staff often share one address.</summary>
    [Range(1, 10_000)]
    public int StaffSignInPerMinute { get; set; } = 30;

    /// <summary>
    /// The provider's webhooks (delivery reports, replies) per sending address per minute. Generous: Twilio reports on
    /// a whole day's reminders within minutes, from a handful of addresses; this only stops a flood.
    /// </summary>
    [Range(1, 100_000)]
    public int WebhooksPerMinute { get; set; } = 1200;

    /// <summary>
    /// Unsubscribe posts per sending address per minute. Generous: a mailbox provider's one-click unsubscribes after
    /// a newsletter come from a handful of its servers' addresses; this only stops a flood.
    /// </summary>
    [Range(1, 100_000)]
    public int UnsubscribePerMinute { get; set; } = 600;
}

/// <summary>The framework's rate limiter on the patient-facing forms: a password or date-of-birth guesser is slowed to a crawl.</summary>
public static class RateLimits
{
    public const string PortalForms = "portal-forms";

    /// <summary>Staff sign-in, its second step and the emailed account links, per client address (per account: SignInThrottle).</summary>
    public const string StaffSignIn = "staff-sign-in";

    /// <summary>The text provider's webhooks (anonymous: their signature is checked after this), per sending address.</summary>
    public const string Webhooks = "webhooks";

    /// <summary>Unsubscribe posts (the page's button and RFC 8058 one-click from mailbox providers), per sending address.</summary>
    public const string Unsubscribe = "unsubscribe";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(StaffSignIn, context => PostsPerAddress(context, o => o.StaffSignInPerMinute));
            options.AddPolicy(PortalForms, context => PostsPerAddress(context, o => o.PortalFormsPerMinute));
            options.AddPolicy(Webhooks, context => PostsPerAddress(context, o => o.WebhooksPerMinute));
            options.AddPolicy(Unsubscribe, context => PostsPerAddress(context, o => o.UnsubscribePerMinute));
            options.OnRejected = async (context, ct) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.HttpContext.Response.ContentType = "text/html; charset=utf-8";
                var wait = seconds <= 60 ? $"{seconds} seconds" : $"{(seconds + 59) / 60} minutes";
                await context.HttpContext.Response.WriteAsync(
                    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                    "<title>Too many tries</title></head><body style=\"font-family:system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px;font-size:1.1rem\">" +
                    $"<h1>Too many tries</h1><p>For your safety, this form is paused. Please try again in {wait}.</p></body></html>", ct);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> PostsPerAddress(HttpContext context, Func<RateLimitOptions, int> limit)
    {
        // Reading a page is free; only submitting a form counts.
        if (!HttpMethods.IsPost(context.Request.Method))
            return RateLimitPartition.GetNoLimiter("read");
        var permits = limit(context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}
