using Microsoft.AspNetCore.Mvc;
using PortalApp.Features.Clinic;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Channels;

/// <summary>
/// The endpoints Twilio calls. Anonymous (Twilio has no session), so each request proves it comes from Twilio with
/// X-Twilio-Signature over the URL Twilio was given (the clinic's public address, never this request's Host) and the
/// posted fields; anything else is refused with 403 before a field is used. Small (16 KB), rate-limited, and free of
/// antiforgery, which a server-to-server post cannot carry.
/// </summary>
public static class TwilioWebhooks
{
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>
    /// The posted fields when the request is small enough and signed by Twilio for <paramref name="path"/> at the
    /// clinic's public address; otherwise the refusal to return (413, or 403 logged by path only: the fields may hold a
    /// phone number).
    /// </summary>
    public static async Task<(IReadOnlyDictionary<string, string>? Form, IResult? Refusal)> VerifyAsync(HttpContext http, string path, ILogger logger)
    {
        // Kestrel stops a body past MaxBodyBytes as it arrives (AsTwilioWebhook); a declared length says so first, on any server.
        if (http.Request.ContentLength > MaxBodyBytes)
            return (null, Results.Text($"A webhook is at most {MaxBodyBytes / 1024} KB.", "text/plain", statusCode: StatusCodes.Status413PayloadTooLarge));
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            var clinic = await http.RequestServices.GetRequiredService<ClinicSettingsService>().GetAsync(http.RequestAborted);
            var signature = http.RequestServices.GetRequiredService<TwilioSignature>();
            if (signature.IsValid(WebhookPaths.Absolute(clinic.PublicBaseUrl, path), fields, http.Request.Headers[TwilioSignature.Header].ToString()))
                return (fields, null);
        }
        logger.LogWarning("Refused a webhook to {Path} without a valid Twilio signature", http.Request.Path.Value);
        // With a body, so the status code pages leave it alone (they would re-run it as a page, which refuses a POST with 400).
        return (null, Results.Text("This request is not signed by Twilio for this address.", "text/plain", statusCode: StatusCodes.Status403Forbidden));
    }

    /// <summary>What every webhook endpoint needs besides its handler.</summary>
    public static RouteHandlerBuilder AsTwilioWebhook(this RouteHandlerBuilder endpoint) =>
        endpoint.AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimits.Webhooks)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes));

    public static IEndpointRouteBuilder MapTwilioStatusCallbacks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(WebhookPaths.Status, async Task<IResult> (HttpContext http, DeliveryReports reports, ILogger<DeliveryReports> logger) =>
        {
            var (form, refusal) = await VerifyAsync(http, WebhookPaths.Status, logger);
            if (form is null)
                return refusal!;
            await reports.ApplyAsync(form, http.RequestAborted);
            return Results.Ok(); // also for an unknown message: Twilio has nothing to do about it
        }).AsTwilioWebhook();
        return endpoints;
    }
}
