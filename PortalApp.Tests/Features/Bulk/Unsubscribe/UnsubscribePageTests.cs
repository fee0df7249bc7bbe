using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Features.Bulk.Unsubscribe;
using PortalApp.Features.Clinic;
using PortalApp.Security;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Bulk.Unsubscribe;

/// <summary>
/// /unsubscribe/{token} over real HTTP: the page a patient's browser (or a link scanner) opens, its button, and the
/// RFC 8058 one-click POST an email app sends without cookies.
/// </summary>
[Trait("Providers", "Both")]
public sealed class UnsubscribePageTests(ProviderAppFixture app) : IClassFixture<ProviderAppFixture>
{
    private const string Clinic = "Maple Grove Family Health";
    private const string Unusable = "This link has expired or is not valid. To stop promotional messages from Maple Grove Family Health, please call Maple Grove Family Health at (416) 555-0100.";

    private static DateTime Now => DateTime.UtcNow;

    private async Task<Client> AddClientAsync(ClientLanguage language = ClientLanguage.English)
    {
        await using var db = await app.Factory.DbAsync();
        var client = new Client
        {
            FirstName = "Emma", LastName = "Unsub", DateOfBirth = new DateOnly(1984, 3, 7), Email = $"emma.{Guid.NewGuid():N}@example.com",
            CreatedAtUtc = Now, UpdatedAtUtc = Now, PreferredLanguage = language,
        };
        db.Clients.Add(client);
        await db.SaveChangesAsync();
        return client;
    }

    private async Task<(Client Client, BulkRecipient Recipient, string Path)> LinkAsync(DateTime? sentAtUtc = null, ClientLanguage language = ClientLanguage.English)
    {
        var client = await AddClientAsync(language);
        var (recipient, token) = await UnsubscribeTestData.SentToAsync(app.Factory.DbAsync, client.Id, sentAtUtc ?? Now.AddDays(-1));
        return (client, recipient, ClinicView.UnsubscribeLinkPath + token);
    }

    private Task<Client> StoredAsync(int id) => UnsubscribeTestData.ClientAsync(app.Factory.DbAsync, id);

    /// <summary>An email app: no cookies, no antiforgery token, no redirects followed.</summary>
    private HttpClient EmailApp() => app.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

    private static FormUrlEncodedContent OneClick() => new(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });

    private static FormUrlEncodedContent PageButton() =>
        new(new Dictionary<string, string> { [UnsubscribeEndpoint.SourceField] = UnsubscribeEndpoint.PageSource });

    [Fact]
    public void The_page_answers_at_the_address_the_emails_carry()
    {
        var route = typeof(UnsubscribePage).GetCustomAttributes(typeof(Microsoft.AspNetCore.Components.RouteAttribute), false)
            .Cast<Microsoft.AspNetCore.Components.RouteAttribute>().Single().Template;
        Assert.Equal(ClinicView.UnsubscribeLinkPath + "{Token}", route);
    }

    [Fact]
    public async Task The_page_names_the_clinic_says_what_unsubscribing_does_offers_one_button_and_opening_it_changes_nothing()
    {
        var (client, recipient, path) = await LinkAsync();
        var before = await StoredAsync(client.Id);
        var browser = StaffClient.Anonymous(app.Factory);

        var response = await browser.GetAsync(path);
        await browser.GetAsync(path);
        await EmailApp().GetAsync(path);

        var html = await PortalForms.TextAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<title>Unsubscribe · {Clinic}</title>", html);
        Assert.Contains("<h1>Unsubscribe from promotional messages</h1>", html);
        Assert.Contains($"You will no longer get promotional messages — flu clinics, new services, newsletters — from {Clinic} by email or text. "
            + "Messages about your care and your appointments still come.", html);
        Assert.Contains($"<form method=\"post\" action=\"{path}\">", html);
        Assert.Contains($"name=\"{UnsubscribeEndpoint.SourceField}\" value=\"{UnsubscribeEndpoint.PageSource}\"", html);
        Assert.Matches(@"<button[^>]*type=""submit""[^>]*>\s*<span[^>]*>\s*Unsubscribe\s*</span>", html);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var after = await StoredAsync(client.Id);
        Assert.Equal((before.Version, before.UpdatedAtUtc, (DateTime?)null), (after.Version, after.UpdatedAtUtc, after.PromotionalOptOutAtUtc));
        Assert.Null((await UnsubscribeTestData.RecipientAsync(app.Factory.DbAsync, recipient.Id)).UnsubscribedAtUtc);
        Assert.Empty(await UnsubscribeTestData.UnsubscribeAuditAsync(app.Factory.DbAsync, client.Id));
    }

    [Fact]
    public async Task One_click_from_an_email_app_without_cookies_unsubscribes_and_answers_200()
    {
        var (client, recipient, path) = await LinkAsync();

        var response = await EmailApp().PostAsync(path, OneClick());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("You are unsubscribed", await PortalForms.TextAsync(response));
        var stored = await StoredAsync(client.Id);
        Assert.NotNull(stored.PromotionalOptOutAtUtc);
        Assert.Equal(UnsubscribeWords.ViaOneClick, stored.PromotionalOptOutVia);
        Assert.NotNull((await UnsubscribeTestData.RecipientAsync(app.Factory.DbAsync, recipient.Id)).UnsubscribedAtUtc);
        Assert.Single(await UnsubscribeTestData.UnsubscribeAuditAsync(app.Factory.DbAsync, client.Id));
    }

    [Fact]
    public async Task One_click_sent_as_multipart_form_data_works_too()
    {
        var (client, _, path) = await LinkAsync();

        var response = await EmailApp().PostAsync(path, new MultipartFormDataContent { { new StringContent("One-Click"), "List-Unsubscribe" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(UnsubscribeWords.ViaOneClick, (await StoredAsync(client.Id)).PromotionalOptOutVia);
    }

    [Fact]
    public async Task The_pages_button_unsubscribes_then_the_page_says_so_and_when()
    {
        var (client, _, path) = await LinkAsync();
        var browser = StaffClient.Anonymous(app.Factory);
        await browser.GetAsync(path);

        var posted = await browser.PostAsync(path, PageButton());
        var page = await browser.GetAsync(StaffClient.Location(posted));

        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Equal(path, StaffClient.Location(posted));
        var stored = await StoredAsync(client.Id);
        Assert.Equal(UnsubscribeWords.ViaLinkPage, stored.PromotionalOptOutVia);
        var html = await PortalForms.TextAsync(page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"<title>Unsubscribed · {Clinic}</title>", html);
        Assert.Contains("<h1>You are unsubscribed</h1>", html);
        var day = Components.Shared.Dates.FormatClinicDate(stored.PromotionalOptOutAtUtc!.Value, TimeZoneInfo.FindSystemTimeZoneById("America/Toronto"));
        Assert.Contains($"role=\"status\" data-testid=\"unsubscribed\">You unsubscribed on {day}: you get no promotional messages from {Clinic} by email or text.", html);
        Assert.DoesNotMatch(@"<span[^>]*>\s*Unsubscribe\s*</span>", html);
    }

    [Fact]
    public async Task A_french_speaking_patient_reads_the_page_and_its_answer_in_french_marked_as_french()
    {
        var (client, _, path) = await LinkAsync(language: ClientLanguage.French);
        var browser = StaffClient.Anonymous(app.Factory);

        var offered = await PortalForms.TextAsync(await browser.GetAsync(path));
        var posted = await browser.PostAsync(path, PageButton());
        var done = await PortalForms.TextAsync(await browser.GetAsync(StaffClient.Location(posted)));
        var oneClick = await PortalForms.TextAsync(await EmailApp().PostAsync(path, OneClick()));

        Assert.Contains($"<title>Désabonnement · {Clinic}</title>", offered);
        Assert.Matches(@"<div lang=""fr"">\s*<h1>Se désabonner des messages promotionnels</h1>", offered);
        Assert.Contains($"Vous ne recevrez plus de messages promotionnels — cliniques de vaccination, nouveaux services, infolettres — de {Clinic} par courriel ni par texto. "
            + "Les messages sur vos soins et vos rendez-vous continuent d'arriver.", offered);
        Assert.Matches(@"<button[^>]*type=""submit""[^>]*>\s*<span[^>]*>\s*Se désabonner\s*</span>", offered);
        var stored = await StoredAsync(client.Id);
        Assert.Equal(UnsubscribeWords.ViaLinkPage, stored.PromotionalOptOutVia);
        var day = TimeZoneInfo.ConvertTimeFromUtc(stored.PromotionalOptOutAtUtc!.Value, TimeZoneInfo.FindSystemTimeZoneById("America/Toronto"))
            .ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("fr-CA"));
        Assert.Contains($"<title>Désabonnement confirmé · {Clinic}</title>", done);
        Assert.Matches(@"<div lang=""fr"">\s*<h1>Votre désabonnement est enregistré</h1>", done);
        Assert.Contains($"data-testid=\"unsubscribed\">Désabonnement enregistré le {day} : vous ne recevez plus de messages promotionnels de {Clinic}", done);
        Assert.Contains("<html lang=\"fr\">", oneClick);
        Assert.Contains("<h1>Votre désabonnement est enregistré</h1>", oneClick);
    }

    [Fact]
    public async Task An_unusable_link_says_so_in_english_and_in_french_marked_as_french()
    {
        var html = await PortalForms.TextAsync(await StaffClient.Anonymous(app.Factory).GetAsync(ClinicView.UnsubscribeLinkPath + SecretTokens.NewToken()));

        Assert.Contains(Unusable, html);
        Assert.Matches(@"<div lang=""fr"">\s*<h2>Ce lien ne peut pas être utilisé</h2>\s*<p>Ce lien a expiré ou n'est pas valide. "
            + $"Pour ne plus recevoir de messages promotionnels de {Clinic}, appelez {Clinic} au \\(416\\) 555-0100\\.</p>", html);
    }

    [Fact]
    public async Task Posting_again_changes_nothing_more()
    {
        var (client, _, path) = await LinkAsync();
        await EmailApp().PostAsync(path, OneClick());
        var first = await StoredAsync(client.Id);

        var again = await EmailApp().PostAsync(path, OneClick());
        var button = await StaffClient.Anonymous(app.Factory).PostAsync(path, PageButton());

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, button.StatusCode);
        var stored = await StoredAsync(client.Id);
        Assert.Equal((first.Version, first.PromotionalOptOutAtUtc, first.PromotionalOptOutVia), (stored.Version, stored.PromotionalOptOutAtUtc, stored.PromotionalOptOutVia));
        Assert.Single(await UnsubscribeTestData.UnsubscribeAuditAsync(app.Factory.DbAsync, client.Id));
    }

    [Fact]
    public async Task Malformed_unknown_and_expired_links_get_the_same_410_answer_with_the_clinics_phone_and_change_nothing()
    {
        var (expiredClient, _, expired) = await LinkAsync(Now - UnsubscribeLinks.ValidFor - TimeSpan.FromDays(1));
        var paths = new[] { "/unsubscribe/not-a-token", ClinicView.UnsubscribeLinkPath + SecretTokens.NewToken(), expired };

        var pages = new List<string>();
        var answers = new List<string>();
        foreach (var path in paths)
        {
            var page = await StaffClient.Anonymous(app.Factory).GetAsync(path);
            Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
            var html = await PortalForms.TextAsync(page);
            Assert.Contains($"<title>Link can't be used · {Clinic}</title>", html);
            pages.Add(MainContent(html));
            var oneClick = await EmailApp().PostAsync(path, OneClick());
            Assert.Equal(HttpStatusCode.Gone, oneClick.StatusCode);
            answers.Add(await PortalForms.TextAsync(oneClick));
            var button = await StaffClient.Anonymous(app.Factory).PostAsync(path, PageButton());
            Assert.Equal(path, StaffClient.Location(button)); // back to the page, which says the same
        }

        Assert.Single(pages.Distinct());
        Assert.Contains(Unusable, pages[0]);
        Assert.Single(answers.Distinct());
        Assert.Contains(Unusable, answers[0]);
        Assert.Null((await StoredAsync(expiredClient.Id)).PromotionalOptOutAtUtc);
    }

    /// <summary>The page's own content: the rest holds Blazor's per-request state, different on every answer.</summary>
    private static string MainContent(string html) => html[html.IndexOf("<main", StringComparison.Ordinal)..(html.IndexOf("</main>", StringComparison.Ordinal) + 7)];

    [Fact]
    public async Task A_post_that_is_no_unsubscribe_changes_nothing_and_says_so()
    {
        var (client, _, path) = await LinkAsync();

        var empty = await EmailApp().PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>()));
        var other = await EmailApp().PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "Yes" }));
        var json = await EmailApp().PostAsync(path, new StringContent("{\"List-Unsubscribe\":\"One-Click\"}", new MediaTypeHeaderValue("application/json")));

        Assert.All([empty, other, json], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Contains("This was not an unsubscribe.", await PortalForms.TextAsync(empty));
        Assert.Null((await StoredAsync(client.Id)).PromotionalOptOutAtUtc);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_limit_is_refused_413_and_changes_nothing(bool chunked)
    {
        var (client, _, path) = await LinkAsync();
        HttpContent content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = "One-Click", ["padding"] = new string('x', UnsubscribeEndpoint.MaxRequestBytes),
        });
        if (chunked)
        {
            content = new StreamContent(await content.ReadAsStreamAsync());
            content.Headers.ContentType = new("application/x-www-form-urlencoded");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = chunked;

        var response = await EmailApp().SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Null((await StoredAsync(client.Id)).PromotionalOptOutAtUtc);
    }

    [Fact]
    public async Task The_token_never_reaches_the_log()
    {
        var (_, _, path) = await LinkAsync();
        await StaffClient.Anonymous(app.Factory).GetAsync(path);
        await EmailApp().PostAsync(path, OneClick());
        var token = path[ClinicView.UnsubscribeLinkPath.Length..];

        var logs = app.Factory.ReadLogs();

        Assert.Contains("HTTP GET /unsubscribe/*** responded 200", logs);
        Assert.Contains("HTTP POST /unsubscribe/*** responded 200", logs);
        Assert.DoesNotContain(token, logs);
    }
}
