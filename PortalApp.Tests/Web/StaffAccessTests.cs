using System.Net;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

public sealed class StaffAccessTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private PortalAppFactory Factory => app.Factory;

    [Theory]
    [InlineData("/clients")]
    [InlineData("/clients/1")]
    [InlineData("/appointments/1/chart")]
    [InlineData("/email-log")]
    [InlineData("/admin/audit")]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_brought_back_after(string path)
    {
        var response = await StaffClient.Anonymous(Factory).GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/account/sign-in?ReturnUrl={Uri.EscapeDataString(path)}", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task The_sign_in_page_is_a_static_form_with_antiforgery_and_labelled_fields()
    {
        var html = await StaffClient.Anonymous(Factory).GetStringAsync("/account/sign-in");

        Assert.Contains("<title>Staff sign-in · Maple Grove Family Health</title>", html);
        Assert.Contains("__RequestVerificationToken", html);
        Assert.Contains("<label for=\"email\">Email</label>", html);
        Assert.Contains("<label for=\"password\">Password</label>", html);
        Assert.Contains("<html lang=\"en\">", html);
    }

    [Fact]
    public async Task Staff_sign_in_with_the_right_password_opens_the_clients_page_and_is_audited()
    {
        var client = StaffClient.Anonymous(Factory);
        var response = await StaffClient.PostSignInAsync(client, "frontdesk@demo.clinic", DemoSeeder.DemoPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://localhost/clients", response.Headers.Location!.OriginalString);
        var clients = await client.GetAsync("/clients");
        Assert.Equal(HttpStatusCode.OK, clients.StatusCode);
        Assert.Contains("Fran Desk", await clients.Content.ReadAsStringAsync());

        await using var db = await Factory.DbAsync();
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.SignIn && a.Outcome == AuditOutcome.Succeeded && a.StaffDisplayName == "Fran Desk"));
    }

    [Theory]
    [InlineData("/clients/1", "http://localhost/clients/1")]
    [InlineData("//evil.example/phish", "http://localhost/clients")]
    [InlineData("https://evil.example/phish", "http://localhost/clients")]
    public async Task After_sign_in_staff_return_to_the_page_they_asked_for_but_never_to_another_site(string returnUrl, string expected)
    {
        var response = await StaffClient.PostSignInAsync(StaffClient.Anonymous(Factory), "frontdesk@demo.clinic", DemoSeeder.DemoPassword, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_wrong_password_shows_a_generic_message_and_is_audited_as_failed()
    {
        var response = await StaffClient.PostSignInAsync(StaffClient.Anonymous(Factory), "practitioner@demo.clinic", "not-the-password-at-all");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right", await response.Content.ReadAsStringAsync());
        await using var db = await Factory.DbAsync();
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.SignIn && a.Outcome == AuditOutcome.Failed && a.Details == "Wrong password"));
    }

    [Theory]
    [InlineData("/account/sign-in?signedOut=yes-please")]
    [InlineData("/account/sign-in?ReturnUrl=%00%FF")]
    public async Task Hand_edited_query_strings_do_not_break_the_sign_in_page(string path)
    {
        var response = await StaffClient.Anonymous(Factory).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_client_shows_a_not_found_page_with_status_404()
    {
        var client = await StaffClient.SignedInAsync(Factory);

        var response = await client.GetAsync("/clients/999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Not found", html);
        Assert.DoesNotContain("Exception", html);
    }

    [Fact]
    public async Task An_unknown_appointment_shows_a_not_found_page_with_status_404()
    {
        var client = await StaffClient.SignedInAsync(Factory);

        var response = await client.GetAsync("/appointments/999999/chart");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_client_card_that_exists_renders_for_staff()
    {
        var client = await StaffClient.SignedInAsync(Factory);
        await using var db = await Factory.DbAsync();
        var first = await db.Clients.OrderBy(c => c.Id).FirstAsync();

        var html = await client.GetStringAsync($"/clients/{first.Id}");

        Assert.Contains($"{first.FirstName} {first.LastName}", html);
    }

    [Fact]
    public async Task Admin_pages_are_refused_to_front_desk_staff()
    {
        var client = await StaffClient.SignedInAsync(Factory, "frontdesk@demo.clinic");

        var response = await client.GetAsync("/admin/audit");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Admins_open_the_audit_log()
    {
        var client = await StaffClient.SignedInAsync(Factory, "admin@demo.clinic");

        var response = await client.GetAsync("/admin/audit");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Audit log", await response.Content.ReadAsStringAsync());
    }
}
