using System.Net;
using System.Text.RegularExpressions;
using PortalApp.Data;
using PortalApp.Features.Registration;

namespace PortalApp.Tests.TestSupport;

/// <summary>Fills in the app's static forms over HTTP as a browser would: page first, its antiforgery token, then the post.</summary>
public static partial class PortalForms
{
    public const string PatientPassword = "lantern orbit meadow cobalt";

    public static string Antiforgery(string html) => AntiforgeryField().Match(html).Groups[1].Value;

    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string path, string handler, Dictionary<string, string> fields)
    {
        var page = await (await browser.GetAsync(path)).Content.ReadAsStringAsync();
        fields["__RequestVerificationToken"] = Antiforgery(page);
        fields["_handler"] = handler;
        return await browser.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    public static async Task<string> TextAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    /// <summary>Nora Quinn, born 14 May 1979, with an email address of her own in this factory's database.</summary>
    public static async Task<Client> AddNoraAsync(PortalAppFactory factory)
    {
        await using var db = await factory.DbAsync();
        var client = db.Clients.Add(new Client
        {
            FirstName = "Nora", LastName = "Quinn", DateOfBirth = new DateOnly(1979, 5, 14), Email = $"nora.{Guid.NewGuid():N}@example.com",
            CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
        }).Entity;
        await db.SaveChangesAsync();
        return client;
    }

    /// <summary>A client card, a real invite through the running app, and registration through the real page.</summary>
    /// <param name="browser">How to reach the app: the in-memory test client unless given (a real Kestrel server needs a real socket).</param>
    public static async Task<(int ClientId, string Email)> RegisteredPatientAsync(PortalAppFactory factory, HttpClient? browser = null)
    {
        var client = await AddNoraAsync(factory);
        var token = await PortalInvites.InviteAsync(factory.Services, client.Id);
        var response = await PostAsync(browser ?? StaffClient.Anonymous(factory), $"/register/{token}", RegistrationFormView.FormName, new()
        {
            ["Form.DateOfBirth"] = "1979-05-14", ["Form.Password"] = PatientPassword, ["Form.ConfirmPassword"] = PatientPassword, ["Form.AcceptTerms"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client.Id, client.Email!);
    }

    /// <summary>Asks for a password reset on the real page, waits for the queued work and the email, and returns the link's path.</summary>
    public static async Task<string> ResetLinkAsync(PortalAppFactory factory, int clientId, string email)
    {
        var links = await DeliveredMail.AfterAsync(factory.Services, clientId, async () =>
        {
            await PostAsync(StaffClient.Anonymous(factory), "/portal/forgot-password", "forgot-password", new() { ["Input.Email"] = email });
            await Queued.DrainAsync(factory.Services);
        }, @"(https?://\S+/portal/reset-password\?\S+)");
        return new Uri(links.First()).PathAndQuery;
    }

    public static Task<HttpResponseMessage> PatientSignInAsync(HttpClient browser, string email, string password) =>
        PostAsync(browser, "/portal/sign-in", "patient-sign-in", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
