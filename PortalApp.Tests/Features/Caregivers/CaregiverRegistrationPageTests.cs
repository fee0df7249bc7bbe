using System.Net;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Registration;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Caregivers;

/// <summary>The registration page as a caregiver meets it: whose portal, whose date of birth, and a password only when they have no account.</summary>
public sealed class CaregiverRegistrationPageTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private const string Password = PortalForms.PatientPassword;
    private const string TheosBirthday = "2017-08-03";

    /// <summary>Theo Quinn, a child without an email of his own, and an invite for his parent Ruth (or the given caregiver card).</summary>
    private async Task<(Client Theo, long AccessId, string Token)> InvitedForTheoAsync(int? caregiverClientId = null)
    {
        Client theo;
        await using (var db = await app.Factory.DbAsync())
        {
            theo = db.Clients.Add(new Client
            {
                FirstName = "Theo", LastName = "Quinn", DateOfBirth = new DateOnly(2017, 8, 3), CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
            }).Entity;
            await db.SaveChangesAsync();
        }
        var template = await CaregiverInvites.DefaultTemplateAsync(app.Factory.Services);
        var form = CaregiverInvites.Form(template, "Ruth", "Quinn", $"ruth.{Guid.NewGuid():N}@example.com", caregiverClientId: caregiverClientId);
        var (accessId, token) = await CaregiverInvites.InviteAsync(app.Factory.Services, theo.Id, form);
        return (theo, accessId, token);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string token, string dateOfBirth, string password = Password, bool newAccount = true)
    {
        var fields = new Dictionary<string, string> { ["Form.DateOfBirth"] = dateOfBirth, ["Form.Password"] = password, ["Form.AcceptTerms"] = "true" };
        if (newAccount)
            fields["Form.ConfirmPassword"] = password;
        return PortalForms.PostAsync(browser, $"/register/{token}", RegistrationFormView.FormName, fields);
    }

    private static Task<string> TextAsync(HttpResponseMessage response) => PortalForms.TextAsync(response);

    [Fact]
    public async Task The_page_names_the_patient_and_asks_for_their_date_of_birth()
    {
        var (_, _, token) = await InvitedForTheoAsync();

        var response = await StaffClient.Anonymous(app.Factory).GetAsync($"/register/{token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await TextAsync(response);
        Assert.Contains("<h1>Access to Theo's portal</h1>", html);
        Assert.Contains("Hello Ruth.", html);
        Assert.Contains("<label for=\"dob\">Theo's date of birth</label>", html);
        Assert.Contains("<label for=\"password\">Create a password</label>", html);
        Assert.Contains("I confirm that I may see Theo Quinn's patient portal", html);
    }

    [Fact]
    public async Task A_wrong_date_of_birth_names_the_patient_and_the_third_locks_the_link()
    {
        var (theo, _, token) = await InvitedForTheoAsync();
        var browser = StaffClient.Anonymous(app.Factory);

        var first = await PostAsync(browser, token, "1980-01-01");
        var second = await PostAsync(browser, token, "1980-01-01");
        var third = await PostAsync(browser, token, "1980-01-01");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, first.StatusCode);
        Assert.Contains("That is not Theo's date of birth in our records.", await TextAsync(first));
        Assert.Contains("2 more tries", await TextAsync(first));
        Assert.Contains("1 more try.", await TextAsync(second));
        Assert.Equal(HttpStatusCode.Forbidden, third.StatusCode);
        Assert.Contains("This link is locked", await TextAsync(third));
        await using var db = await app.Factory.DbAsync();
        Assert.Equal(InviteStatus.Locked, (await db.PortalInvites.SingleAsync(i => i.ClientId == theo.Id)).Status);
    }

    [Fact]
    public async Task An_email_with_a_portal_account_is_asked_only_for_its_password_and_then_linked_to_it()
    {
        var (noraId, noraEmail) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var (_, accessId, token) = await InvitedForTheoAsync(caregiverClientId: noraId);
        var browser = StaffClient.Anonymous(app.Factory);

        var page = await TextAsync(await browser.GetAsync($"/register/{token}"));
        var wrong = await PostAsync(browser, token, TheosBirthday, "not the password at all", newAccount: false);
        var right = await PostAsync(browser, token, TheosBirthday, newAccount: false);

        Assert.Contains("You already have a portal account with <strong>n•••@example.com</strong>.", page);
        Assert.DoesNotContain(noraEmail, page);
        Assert.Contains("<label for=\"password\">Your portal password</label>", page);
        Assert.DoesNotContain("Type the password again", page);
        Assert.Contains("I confirm that I may see Theo Quinn's patient portal", page);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("That is not the password of the portal account for n•••@example.com.", await TextAsync(wrong));
        Assert.Equal("/portal?welcome=added", right.Headers.Location!.PathAndQuery);
        var home = await TextAsync(await browser.GetAsync("/portal?welcome=added"));
        Assert.Contains("<strong>Viewing: Theo Quinn</strong> — your child", home);
        Assert.Contains("Theo Quinn's portal is now part of your account.", home);
        await using var db = await app.Factory.DbAsync();
        var nora = await db.Users.SingleAsync(u => u.Email == noraEmail);
        Assert.Equal(noraId, nora.ClientId);
        Assert.Equal(nora.Id, (await db.CaregiverAccesses.SingleAsync(a => a.Id == accessId)).PortalUserId);
    }

    [Fact]
    public async Task A_link_used_in_another_tab_is_refused_when_submitted_again()
    {
        var (_, accessId, token) = await InvitedForTheoAsync();
        var firstTab = StaffClient.Anonymous(app.Factory);
        var secondTab = StaffClient.Anonymous(app.Factory);
        var secondPage = await secondTab.GetStringAsync($"/register/{token}");
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(firstTab, token, TheosBirthday)).StatusCode);

        var again = await secondTab.PostAsync($"/register/{token}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalForms.Antiforgery(secondPage), ["_handler"] = RegistrationFormView.FormName,
            ["Form.DateOfBirth"] = TheosBirthday, ["Form.Password"] = Password, ["Form.ConfirmPassword"] = Password, ["Form.AcceptTerms"] = "true",
        }));

        // The page a GET would show, directly or after a redirect back to the link.
        var shown = again.StatusCode == HttpStatusCode.Redirect ? await secondTab.GetAsync(again.Headers.Location) : again;
        Assert.True(shown.StatusCode == HttpStatusCode.Gone, $"{(int)shown.StatusCode}: {await TextAsync(shown)}");
        Assert.Contains("This invitation link can't be used.", await TextAsync(shown));
        await using var db = await app.Factory.DbAsync();
        var access = await db.CaregiverAccesses.SingleAsync(a => a.Id == accessId);
        Assert.Equal(1, await db.Users.CountAsync(u => u.Email == access.Email));
    }

    [Fact]
    public async Task A_caregiver_later_invited_as_a_patient_adds_their_own_record_to_the_same_account()
    {
        var (_, accessId, token) = await InvitedForTheoAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(StaffClient.Anonymous(app.Factory), token, TheosBirthday)).StatusCode);
        Client ruth;
        await using (var db = await app.Factory.DbAsync())
        {
            var email = (await db.CaregiverAccesses.SingleAsync(a => a.Id == accessId)).Email;
            ruth = db.Clients.Add(new Client
            {
                FirstName = "Ruth", LastName = "Quinn", DateOfBirth = new DateOnly(1988, 2, 11), Email = email, CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
            }).Entity;
            await db.SaveChangesAsync();
        }
        var patientToken = await PortalInvites.InviteAsync(app.Factory.Services, ruth.Id);
        var browser = StaffClient.Anonymous(app.Factory);

        var page = await TextAsync(await browser.GetAsync($"/register/{patientToken}"));
        var linked = await PostAsync(browser, patientToken, "1988-02-11", newAccount: false);

        Assert.Contains("Enter its password to add your own record to it", page);
        Assert.Equal("/portal?welcome=added", linked.Headers.Location!.PathAndQuery);
        var home = await TextAsync(await browser.GetAsync("/portal?welcome=added"));
        Assert.Contains("Your own record is now part of your portal account.", home);
        Assert.Contains("Ruth Quinn — you", home);
        Assert.Contains("Theo Quinn — your child", home);
        await using var check = await app.Factory.DbAsync();
        Assert.Equal(ruth.Id, (await check.Users.SingleAsync(u => u.Email == ruth.Email)).ClientId);
    }
}
