using System.Net;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>A static form shown again after a mistake never writes a typed password back into the page.</summary>
public sealed class PasswordEchoTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private const string Typed = "copper kettle willow 4417";

    [Fact]
    public async Task Registration_after_a_wrong_date_of_birth()
    {
        var nora = await PortalForms.AddNoraAsync(app.Factory);
        var token = await PortalInvites.InviteAsync(app.Factory.Services, nora.Id);

        var response = await PortalForms.PostAsync(StaffClient.Anonymous(app.Factory), $"/register/{token}", "register", new()
        {
            ["Form.DateOfBirth"] = "1980-01-01", ["Form.Password"] = Typed, ["Form.ConfirmPassword"] = Typed, ["Form.AcceptTerms"] = "true",
        });

        await AssertShownAgainWithoutThePasswordAsync(response, "That date of birth does not match our records.", HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Patient_sign_in_after_a_wrong_password()
    {
        var response = await PortalForms.PatientSignInAsync(StaffClient.Anonymous(app.Factory), "nobody@example.com", Typed);

        await AssertShownAgainWithoutThePasswordAsync(response, "The email or password is not right.");
    }

    [Fact]
    public async Task Staff_sign_in_after_a_wrong_password()
    {
        var response = await StaffClient.PostSignInAsync(StaffClient.Anonymous(app.Factory), "frontdesk@demo.clinic", Typed);

        await AssertShownAgainWithoutThePasswordAsync(response, "The email or password is not right");
    }

    [Fact]
    public async Task Password_reset_after_two_different_passwords()
    {
        var (clientId, email) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var link = await PortalForms.ResetLinkAsync(app.Factory, clientId, email);

        var response = await PortalForms.PostAsync(StaffClient.Anonymous(app.Factory), link, "reset-password",
            new() { ["Input.Password"] = Typed, ["Input.ConfirmPassword"] = Typed + " not the same" });

        await AssertShownAgainWithoutThePasswordAsync(response, "The two passwords are not the same.");
    }

    [Fact]
    public async Task Change_password_after_a_wrong_current_password()
    {
        var (_, email) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var patient = StaffClient.Anonymous(app.Factory);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalForms.PatientSignInAsync(patient, email, PortalForms.PatientPassword)).StatusCode);

        var response = await PortalForms.PostAsync(patient, "/portal/account", "change-password", new()
        {
            ["Input.Current"] = Typed, ["Input.Password"] = "violet harbor pencil summit", ["Input.Confirm"] = "violet harbor pencil summit",
        });

        await AssertShownAgainWithoutThePasswordAsync(response, "The current password is not right.");
        Assert.DoesNotContain("violet harbor pencil summit", await response.Content.ReadAsStringAsync());
    }

    private static async Task AssertShownAgainWithoutThePasswordAsync(HttpResponseMessage response, string problem, HttpStatusCode status = HttpStatusCode.OK)
    {
        var html = await PortalForms.TextAsync(response);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(problem, html);
        Assert.Contains("type=\"password\"", html);
        Assert.DoesNotContain(Typed, html);
    }
}
