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
}

/// <summary>The framework's rate limiter on the patient-facing forms: a password or date-of-birth guesser is slowed to a crawl.</summary>
public static class RateLimits
{
    public const string PortalForms = "portal-forms";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(PortalForms, context =>
            {
                // Reading a page is free; only submitting a form counts.
                if (!HttpMethods.IsPost(context.Request.Method))
                    return RateLimitPartition.GetNoLimiter("read");
                var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.PortalFormsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/html; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(
                    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                    "<title>Too many tries</title></head><body style=\"font-family:system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px;font-size:1.1rem\">" +
                    "<h1>Too many tries</h1><p>For your safety, this form is paused for a minute. Please wait a minute and try again.</p></body></html>", ct);
            };
        });
        return services;
    }
}
