using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Tests.Features.IntakeForms;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Portal.Forms;

/// <summary>What the form page's script and file input send: the autosave endpoint, a file posted with a section, a post far too large.</summary>
public sealed class PortalFormPostsTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private static readonly FormDefinition CardForm = new("Insurance", null,
        [TestForms.Item("card", FormItemType.Attachment, "Photo of your insurance card", required: true), TestForms.Item("insurer", FormItemType.String, "Insurer")]);

    private static async Task<(HttpClient Browser, int ClientId)> SignedInPatientAsync(PortalAppFactory factory, HttpClient? browser = null)
    {
        var (clientId, email) = await PortalForms.RegisteredPatientAsync(factory, browser);
        browser ??= StaffClient.Anonymous(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalForms.PatientSignInAsync(browser, email, PortalForms.PatientPassword)).StatusCode);
        return (browser, clientId);
    }

    private static async Task<FormAssignment> SendAsync(PortalAppFactory factory, int clientId, FormDefinition definition)
    {
        await using var db = await factory.DbAsync();
        return await FormSeeds.AssignAsync(db, clientId, await FormSeeds.PublishAsync(db, definition, DateTime.UtcNow), DateTime.UtcNow);
    }

    private static async Task<HttpResponseMessage> AutosaveAsync(HttpClient browser, int id, string? token, params (string, string)[] fields)
    {
        var all = fields.ToDictionary(f => f.Item1, f => f.Item2);
        all["section"] = "1";
        if (token is not null)
            all["__RequestVerificationToken"] = token;
        return await browser.PostAsync($"/portal/forms/{id}/draft", new FormUrlEncodedContent(all));
    }

    [Fact]
    public async Task Autosave_keeps_the_draft_and_answers_with_the_time_and_refuses_a_post_without_the_pages_token()
    {
        var (browser, clientId) = await SignedInPatientAsync(app.Factory);
        var sent = await SendAsync(app.Factory, clientId, PortalFormsTesting.TwoSections);
        var token = PortalForms.Antiforgery(await browser.GetStringAsync($"/portal/forms/{sent.Id}"));

        var forged = await AutosaveAsync(browser, sent.Id, null, ("a.name", "Forged"));
        var saved = await AutosaveAsync(browser, sent.Id, token, ("a.name", "Nora Quinn"), ("a.age", "forty"));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        using var json = JsonDocument.Parse(await saved.Content.ReadAsStringAsync());
        Assert.Matches(@"^\d{1,2}:\d{2} [AP]M$", json.RootElement.GetProperty("savedAt").GetString());
        Assert.Equal("Enter a whole number, like 42.", json.RootElement.GetProperty("problems").GetProperty("age").GetString());
        await using var db = await app.Factory.DbAsync();
        var draft = (await db.FormAssignments.SingleAsync(a => a.Id == sent.Id)).DraftAnswersJson!;
        Assert.Contains("Nora Quinn", draft);
        Assert.False(await db.AuditEvents.AnyAsync(e => e.ClientId == clientId && e.Action == PortalApp.Auditing.AuditActions.IntakeFormAnswersSave));
    }

    [Fact]
    public async Task Autosave_to_another_patients_form_is_not_found_and_changes_nothing()
    {
        var (browser, _) = await SignedInPatientAsync(app.Factory);
        var (otherId, _) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var theirs = await SendAsync(app.Factory, otherId, PortalFormsTesting.TwoSections);
        var token = PortalForms.Antiforgery(await browser.GetStringAsync("/portal/forms"));

        var response = await AutosaveAsync(browser, theirs.Id, token, ("a.name", "Intruder"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await using var db = await app.Factory.DbAsync();
        Assert.Null((await db.FormAssignments.SingleAsync(a => a.Id == theirs.Id)).DraftAnswersJson);
    }

    [Fact]
    public async Task Without_script_a_file_goes_with_its_section_shows_its_name_and_a_renamed_program_is_refused_beside_its_question()
    {
        var (browser, clientId) = await SignedInPatientAsync(app.Factory);
        var sent = await SendAsync(app.Factory, clientId, CardForm);
        var path = $"/portal/forms/{sent.Id}?section=1";
        var page = await browser.GetStringAsync(path);
        Assert.Contains("enctype=\"multipart/form-data\"", page);
        async Task<HttpResponseMessage> PostFileAsync(string name, byte[] bytes)
        {
            var content = new MultipartFormDataContent
            {
                { new StringContent(PortalForms.Antiforgery(page)), "__RequestVerificationToken" },
                { new StringContent("form-section"), "_handler" },
                { new StringContent("1"), "section" },
                { new StringContent("save"), "go" },
                { new StringContent("Blue Cross"), "a.insurer" },
                { new ByteArrayContent(bytes), "a.card", name },
            };
            return await browser.PostAsync(path, content);
        }

        var program = await PortalForms.TextAsync(await PostFileAsync("card.png", [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0]));
        var photo = await PostFileAsync("card.png", PortalFormAttachmentTests.Png);
        var after = await PortalForms.TextAsync(await browser.GetAsync(path));

        Assert.Contains($"<p id=\"f-card-error\" class=\"field-error form-error\">{PortalApp.Features.Portal.Forms.AttachmentTypes.Refusal}</p>", program);
        Assert.Contains("value=\"Blue Cross\"", program);
        Assert.Equal(HttpStatusCode.Redirect, photo.StatusCode);
        Assert.Contains("Already attached: card.png.", after);
        Assert.Contains("Remove card.png", after);
    }

    [Fact]
    public async Task On_a_real_server_a_3_MB_photo_posts_and_a_50_MB_post_is_answered_413_before_its_body_is_read()
    {
        await using var server = PortalServer.Start();
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = new Uri(server.BaseUrl) };
        var (_, clientId) = await SignedInPatientAsync(server, browser);
        var sent = await SendAsync(server, clientId, CardForm);
        var uri = new Uri(server.BaseUrl);
        var cookies = handler.CookieContainer.GetCookieHeader(uri);
        var path = $"/portal/forms/{sent.Id}?section=1";
        var photo = new byte[3 * 1024 * 1024];
        PortalFormAttachmentTests.Png.CopyTo(photo, 0);
        var upload = await browser.PostAsync(path, new MultipartFormDataContent
        {
            { new StringContent(PortalForms.Antiforgery(await browser.GetStringAsync(path))), "__RequestVerificationToken" },
            { new StringContent("form-section"), "_handler" }, { new StringContent("1"), "section" }, { new StringContent("save"), "go" },
            { new ByteArrayContent(photo), "a.card", "card.png" },
        });
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode); // over the app's usual 256 KB: this page's own limit applies
        await using (var cleanup = await server.DbAsync())
            await cleanup.FormAttachments.Where(f => f.FormAssignmentId == sent.Id).ExecuteDeleteAsync();

        // A raw socket: the headers promise 50 MB, then only the first 64 KB follow. A server that waited for (or read)
        // the body would never answer; one that checks the length first answers at once.
        using var socket = new TcpClient();
        await socket.ConnectAsync(uri.Host, uri.Port);
        var stream = socket.GetStream();
        var head = $"POST /portal/forms/{sent.Id}?section=1 HTTP/1.1\r\nHost: {uri.Authority}\r\nCookie: {cookies}\r\n" +
            "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 52428800\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(new byte[64 * 1024]);
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var answer = Encoding.ASCII.GetString(buffer, 0, read);

        Assert.StartsWith("HTTP/1.1 413", answer);
        await using var db = await server.DbAsync();
        Assert.False(await db.FormAttachments.AnyAsync(f => f.FormAssignmentId == sent.Id));
    }
}
