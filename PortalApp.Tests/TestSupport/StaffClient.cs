using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using PortalApp.Infrastructure;

namespace PortalApp.Tests.TestSupport;

/// <summary>An HTTP client that signs in through the real static sign-in form, antiforgery token and all.</summary>
public static class StaffClient
{
    public static HttpClient Anonymous(PortalAppFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var path = returnUrl is null ? "/account/sign-in" : $"/account/sign-in?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var page = await client.GetStringAsync(path);
        var token = PortalForms.Antiforgery(page);
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "staff-sign-in",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>The app bar's Sign out button: a POST with the antiforgery token of a staff page.</summary>
    public static async Task SignOutAsync(HttpClient browser)
    {
        var token = PortalForms.Antiforgery(await browser.GetStringAsync("/clients"));
        await browser.PostAsync("/account/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }

    /// <summary>Where a redirect goes, as a path: the app may answer with an absolute or a relative Location.</summary>
    public static string? Location(HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? null
        : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    public static async Task<HttpClient> SignedInAsync(PortalAppFactory factory, string email = "frontdesk@demo.clinic")
    {
        var client = Anonymous(factory);
        var response = await PostSignInAsync(client, email, DemoSeeder.DemoPassword);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode}");
        return client;
    }

}
