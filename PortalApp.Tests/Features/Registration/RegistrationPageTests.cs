using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Features.Invites;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Registration;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Registration;

public sealed class RegistrationPageTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private const string GoodPassword = PortalForms.PatientPassword;

    private async Task<(Client Client, string Token)> InvitedClientAsync()
    {
        var client = await PortalForms.AddNoraAsync(app.Factory);
        return (client, await PortalInvites.InviteAsync(app.Factory.Services, client.Id));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string token, string dob, string password, string? confirm = null, bool terms = true)
    {
        var page = await (await client.GetAsync($"/register/{token}")).Content.ReadAsStringAsync();
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalForms.Antiforgery(page),
            ["_handler"] = RegistrationFormView.FormName,
            ["Form.DateOfBirth"] = dob,
            ["Form.Password"] = password,
            ["Form.ConfirmPassword"] = confirm ?? password,
        };
        if (terms)
            fields["Form.AcceptTerms"] = "true";
        return await client.PostAsync($"/register/{token}", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task A_valid_link_shows_the_clinic_the_first_name_and_the_email_and_changes_nothing()
    {
        var (client, token) = await InvitedClientAsync();

        var response = await StaffClient.Anonymous(app.Factory).GetAsync($"/register/{token}");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hello Nora.", html);
        Assert.Contains("Your account will use the email address <strong>n•••@example.com</strong>.", System.Net.WebUtility.HtmlDecode(html));
        Assert.DoesNotContain(client.Email!, html); // nor its local part, anywhere in the page
        Assert.DoesNotContain(client.Email![..client.Email!.IndexOf('@')], html);
        Assert.Contains("<label for=\"dob\">Your date of birth</label>", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "__RequestVerificationToken")); // two tokens in one form make every real browser's post fail
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        await using var db = await app.Factory.DbAsync();
        Assert.Equal(InviteStatus.Pending, (await db.PortalInvites.SingleAsync(i => i.ClientId == client.Id && i.Status == InviteStatus.Pending)).Status);
    }

    [Fact]
    public async Task Registering_creates_the_account_signs_in_and_lands_on_the_portal_home()
    {
        var (client, token) = await InvitedClientAsync();
        var browser = StaffClient.Anonymous(app.Factory);

        var response = await PostAsync(browser, token, "1979-05-14", GoodPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/portal?welcome=true", response.Headers.Location!.PathAndQuery);
        var home = await browser.GetAsync("/portal?welcome=true");
        Assert.True(home.StatusCode == HttpStatusCode.OK, app.Factory.ReadLogs());
        Assert.Contains("Hello Nora", await home.Content.ReadAsStringAsync());
        await using var db = await app.Factory.DbAsync();
        Assert.Equal(client.Id, (await db.Users.SingleAsync(u => u.Email == client.Email)).ClientId);
        Assert.Equal(InviteStatus.Registered, (await db.PortalInvites.SingleAsync(i => i.ClientId == client.Id)).Status);
    }

    [Fact]
    public async Task A_used_link_shows_the_generic_page_with_410_gone()
    {
        var (_, token) = await InvitedClientAsync();
        await PostAsync(StaffClient.Anonymous(app.Factory), token, "1979-05-14", GoodPassword);

        var again = await StaffClient.Anonymous(app.Factory).GetAsync($"/register/{token}");

        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("This invitation link can't be used. Ask Maple Grove Family Health to send a new one.", await TextAsync(again));
    }

    [Fact]
    public async Task The_token_never_reaches_the_log()
    {
        var (_, token) = await InvitedClientAsync();
        await StaffClient.Anonymous(app.Factory).GetAsync($"/register/{token}");
        await PostAsync(StaffClient.Anonymous(app.Factory), token, "1900-01-01", GoodPassword);

        var logs = app.Factory.ReadLogs();

        Assert.Contains("HTTP GET /register/*** responded 200", logs);
        Assert.DoesNotContain(token, logs);
    }

    [Fact]
    public async Task Email_me_a_new_link_answers_the_same_whatever_the_link_was()
    {
        var browser = StaffClient.Anonymous(app.Factory);
        var token = PortalApp.Security.SecretTokens.NewToken();
        var page = await (await browser.GetAsync($"/register/{token}")).Content.ReadAsStringAsync();

        var response = await browser.PostAsync($"/register/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalForms.Antiforgery(page),
            ["_handler"] = UnusableLink.FormName,
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("If this link can be renewed, a new one is on its way", await TextAsync(response));
    }

    [Theory]
    [InlineData("revoked")]
    [InlineData("superseded")]
    [InlineData("end-dated")]
    public async Task Revoked_superseded_and_end_dated_links_show_the_same_generic_page(string kind)
    {
        var (client, token) = await InvitedClientAsync();
        using (var scope = app.Factory.Services.CreateScope())
        {
            var invites = scope.ServiceProvider.GetRequiredService<InviteService>();
            if (kind == "revoked")
                Assert.IsType<Outcome.Done>(await invites.RevokeAsync(client.Id, Staff.Admin));
            if (kind == "superseded")
                await PortalInvites.InviteAsync(app.Factory.Services, client.Id);
        }
        if (kind == "end-dated")
        {
            await using var db = await app.Factory.DbAsync();
            // End-dated directly in the database: the invite stays pending, only the client card ends.
            await db.Clients.Where(c => c.Id == client.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1))));
        }

        var page = await StaffClient.Anonymous(app.Factory).GetAsync($"/register/{token}");
        var post = await PostAsync(StaffClient.Anonymous(app.Factory), token, "1979-05-14", GoodPassword);

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("This invitation link can't be used.", await TextAsync(page));
        Assert.DoesNotContain("Nora", await TextAsync(page));
        Assert.True((int)post.StatusCode < 500);
        await using var check = await app.Factory.DbAsync();
        Assert.False(await check.Users.AnyAsync(u => u.ClientId == client.Id));
        if (kind == "end-dated")
            Assert.True(await check.AuditEvents.AnyAsync(a => a.ClientId == client.Id && a.Action == AuditActions.PatientRegister && a.Outcome == AuditOutcome.Refused));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Unknown_or_tampered_links_show_the_same_generic_page(string token)
    {
        var response = await StaffClient.Anonymous(app.Factory).GetAsync($"/register/{token}");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var html = await TextAsync(response);
        Assert.Contains("This invitation link can't be used.", html);
        Assert.DoesNotContain("Nora", html);
    }

    [Fact]
    public async Task A_wrong_date_of_birth_says_so_and_five_lock_the_invite()
    {
        var (client, token) = await InvitedClientAsync();
        var browser = StaffClient.Anonymous(app.Factory);

        var first = await PostAsync(browser, token, "1980-01-01", GoodPassword);
        Assert.Contains("That date of birth does not match our records.", await TextAsync(first));
        Assert.Contains("4 more tries", await TextAsync(first));
        for (var i = 0; i < 3; i++)
            await PostAsync(browser, token, "1980-01-01", GoodPassword);
        var fifth = await PostAsync(browser, token, "1980-01-01", GoodPassword);

        Assert.Equal(HttpStatusCode.Forbidden, fifth.StatusCode);
        Assert.Contains("This link is locked", await TextAsync(fifth));
        await using var db = await app.Factory.DbAsync();
        Assert.Equal(InviteStatus.Locked, (await db.PortalInvites.SingleAsync(i => i.ClientId == client.Id)).Status);
        Assert.False(await db.Users.AnyAsync(u => u.ClientId == client.Id));
    }

    [Theory]
    [InlineData("short", "short", "Use at least 12 characters")]
    [InlineData("noraquinn1979", "noraquinn1979", "too easy to guess")]
    [InlineData(GoodPassword, "lantern orbit meadow cobalt!", "The two passwords are not the same.")]
    public async Task A_weak_or_mistyped_password_is_refused_with_the_reason(string password, string confirm, string message)
    {
        var (client, token) = await InvitedClientAsync();

        var response = await PostAsync(StaffClient.Anonymous(app.Factory), token, "1979-05-14", password, confirm);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, await TextAsync(response));
        await using var db = await app.Factory.DbAsync();
        Assert.False(await db.Users.AnyAsync(u => u.ClientId == client.Id));
    }

    [Fact]
    public async Task Fifty_parallel_submits_of_one_link_make_one_account_and_the_rest_see_the_used_link_page()
    {
        var (client, token) = await InvitedClientAsync();
        var browsers = Enumerable.Range(0, 50).Select(_ => StaffClient.Anonymous(app.Factory)).ToList();
        var pages = await Task.WhenAll(browsers.Select(b => b.GetStringAsync($"/register/{token}")));

        var responses = await Task.WhenAll(browsers.Select((b, i) => b.PostAsync($"/register/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalForms.Antiforgery(pages[i]),
            ["_handler"] = RegistrationFormView.FormName,
            ["Form.DateOfBirth"] = "1979-05-14",
            ["Form.Password"] = GoodPassword,
            ["Form.ConfirmPassword"] = GoodPassword,
            ["Form.AcceptTerms"] = "true",
        }))));

        Assert.Single(responses, r => r.Headers.Location?.PathAndQuery == "/portal?welcome=true");
        Assert.Equal(49, responses.Count(r => r.StatusCode == HttpStatusCode.Gone));
        await using var db = await app.Factory.DbAsync();
        Assert.Equal(1, await db.Users.CountAsync(u => u.ClientId == client.Id));
    }

    private static Task<string> TextAsync(HttpResponseMessage response) => PortalForms.TextAsync(response);

}
