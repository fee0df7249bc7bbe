namespace PortalApp.Infrastructure;

/// <summary>
/// Blazor without <c>&lt;base href="/"&gt;</c>, which our Content-Security-Policy (base-uri 'none') makes browsers
/// ignore. js/blazor-start.js gives Blazor the site root and the circuit's address; blazor.web.js still fetches two
/// addresses relative to the page (_blazor/initializers when a circuit starts, _blazor/disconnect when a page
/// closes), so on /clients/5 they arrive as /clients/_blazor/...: they are sent on to the real ones.
/// </summary>
public static class BlazorWithoutBase
{
    private static readonly string[] RelativeToThePage = ["/_blazor/initializers", "/_blazor/disconnect"];

    public static IApplicationBuilder UseBlazorAddressesFromAnyPage(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var path = context.Request.Path.Value ?? "";
        if (RelativeToThePage.FirstOrDefault(p => path.EndsWith(p, StringComparison.Ordinal) && path != p) is { } real)
        {
            // 307 keeps the method and body: the disconnect beacon is a POST.
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = real + context.Request.QueryString;
            return Task.CompletedTask;
        }
        return next(context);
    });
}
