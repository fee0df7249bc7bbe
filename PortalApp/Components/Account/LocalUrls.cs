namespace PortalApp.Components.Account;

public static class LocalUrls
{
    /// <summary>Only a path on this site: never an open redirect to somewhere else.</summary>
    public static string SafeReturnUrl(string? url) =>
        url is { Length: > 0 and < 2048 } && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/clients";
}
