using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PortalApp.Infrastructure;

/// <summary>
/// How much a request may send. The framework's defaults are for file uploads (30 MB bodies, 4 MB per form value,
/// 1,024 values): a pasted novel in a sign-in field was read whole before any page saw it. Our forms hold a handful
/// of fields, the longest a 5,000-character message (about 45 KB once URL-encoded); staff pages talk over the
/// circuit's WebSocket, which these limits do not touch.
/// </summary>
public static class RequestLimits
{
    public const int MaxBodyBytes = 256 * 1024;
    public const int MaxFormValueLength = 64 * 1024;
    public const int MaxFormKeyLength = 256;
    public const int MaxFormValues = 64;

    public static IServiceCollection AddPortalRequestLimits(this IServiceCollection services)
    {
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxBodyBytes);
        services.Configure<FormOptions>(form =>
        {
            form.ValueLengthLimit = MaxFormValueLength;
            form.KeyLengthLimit = MaxFormKeyLength;
            form.ValueCountLimit = MaxFormValues;
            form.MultipartBodyLengthLimit = MaxBodyBytes;
            form.BufferBodyLengthLimit = MaxBodyBytes;
            form.MultipartHeadersLengthLimit = MaxFormKeyLength * 4;
        });
        return services;
    }

    /// <summary>
    /// Reads a posted form once, before antiforgery and the pages do, so one that breaks the limits gets a page that
    /// says so (400, or 413 for a body over the limit) instead of the framework's note about a missing antiforgery token.
    /// </summary>
    public static IApplicationBuilder UsePortalFormLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
        {
            try
            {
                await context.Request.ReadFormAsync(context.RequestAborted);
            }
            catch (Exception ex) when (ex is InvalidDataException or Microsoft.AspNetCore.Http.BadHttpRequestException)
            {
                context.Response.StatusCode = ex is Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                    ? StatusCodes.Status413PayloadTooLarge
                    : StatusCodes.Status400BadRequest;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(TooMuchPage, context.RequestAborted);
                return;
            }
        }
        await next(context);
    });

    private const string TooMuchPage =
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        "<title>Too much to send</title></head><body style=\"font-family:system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px;font-size:1.1rem\">" +
        "<h1>Too much to send</h1><p>What was sent is longer than this form accepts, so nothing was saved. Go back, shorten what you typed, and send it again.</p></body></html>";
}
