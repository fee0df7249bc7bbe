using PortalApp.Features.Clinic;

namespace PortalApp.Infrastructure;

/// <summary>
/// The circuit endpoint (/_blazor: negotiate, WebSocket, long polling) answers only the app's own pages. CORS does not
/// cover a WebSocket handshake, and the browser sends the staff cookie with it: without this check, any site a
/// signed-in staff member visits could open a circuit as them (cross-site WebSocket hijacking). Browsers always send
/// Origin on a WebSocket handshake and on cross-site requests, so a request without one is not a cross-site browser
/// request and passes. Own origin: the address this request came to (after the trusted proxy's forwarded headers),
/// or the clinic's public web address, for a proxy that does not pass the host on.
/// </summary>
public static class CircuitOrigin
{
    public static IApplicationBuilder UseCircuitOriginCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/_blazor")
            && context.Request.Headers.Origin.ToString() is { Length: > 0 } origin
            && !await IsOwnAsync(context, origin))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("This page may not connect to PortalApp from another site.", context.RequestAborted);
            return;
        }
        await next(context);
    });

    private static async Task<bool> IsOwnAsync(HttpContext context, string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from))
            return false; // "null" (a sandboxed frame, a file) and anything else unreadable
        var request = context.Request;
        if (SameOrigin(from, $"{request.Scheme}://{request.Host}"))
            return true;
        var clinic = await context.RequestServices.GetRequiredService<ClinicSettingsService>().GetAsync(context.RequestAborted);
        return SameOrigin(from, clinic.PublicBaseUrl);
    }

    private static bool SameOrigin(Uri from, string own) =>
        Uri.TryCreate(own, UriKind.Absolute, out var ownUri)
        && string.Equals(from.GetLeftPart(UriPartial.Authority), ownUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}
