using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Features.Messaging;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>The static forms, posted far more than any field needs: a page that says so, never a 500 or a megabyte read whole.</summary>
public sealed class OversizedFormTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private static readonly string Megabyte = new('a', 1_000_000);

    public static TheoryData<string, string, string> AnonymousForms => new()
    {
        { "/portal/sign-in", "patient-sign-in", "Input.Email" },
        { "/portal/forgot-password", "forgot-password", "Input.Email" },
        { "/portal/reset-password?user=someone&token=something", "reset-password", "Input.Password" },
        { "/account/sign-in", "staff-sign-in", "Input.Password" },
    };

    [Theory]
    [MemberData(nameof(AnonymousForms))]
    public async Task A_megabyte_in_one_field_gets_a_short_page_that_says_so(string path, string handler, string field)
    {
        var response = await PortalForms.PostAsync(StaffClient.Anonymous(app.Factory), path, handler, new() { [field] = Megabyte });

        await AssertTooMuchAsync(response);
    }

    [Fact]
    public async Task A_megabyte_password_on_the_registration_form_gets_the_page_and_uses_nothing()
    {
        var nora = await PortalForms.AddNoraAsync(app.Factory);
        var token = await PortalInvites.InviteAsync(app.Factory.Services, nora.Id);

        var response = await PortalForms.PostAsync(StaffClient.Anonymous(app.Factory), $"/register/{token}", "register", new()
        {
            ["Form.DateOfBirth"] = "1979-05-14", ["Form.Password"] = Megabyte, ["Form.ConfirmPassword"] = Megabyte, ["Form.AcceptTerms"] = "true",
        });

        await AssertTooMuchAsync(response);
        await using var db = await app.Factory.DbAsync();
        Assert.False(await db.Users.AnyAsync(u => u.Email == nora.Email));
    }

    [Fact]
    public async Task Hundreds_of_fields_get_the_page()
    {
        var fields = Enumerable.Range(0, 500).ToDictionary(i => $"field{i}", _ => "x");

        var response = await PortalForms.PostAsync(StaffClient.Anonymous(app.Factory), "/portal/sign-in", "patient-sign-in", fields);

        await AssertTooMuchAsync(response);
    }

    [Fact]
    public async Task A_reply_of_a_megabyte_gets_the_page_and_one_over_the_message_limit_gets_the_message_and_neither_is_saved()
    {
        var (clientId, email) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var conversationId = await StartConversationAsync(clientId);
        var patient = StaffClient.Anonymous(app.Factory);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalForms.PatientSignInAsync(patient, email, PortalForms.PatientPassword)).StatusCode);
        var path = $"/portal/messages/{conversationId}";

        var megabyte = await PortalForms.PostAsync(patient, path, "reply", new() { ["Input.Body"] = Megabyte });
        var tooLong = await PortalForms.PostAsync(patient, path, "reply", new() { ["Input.Body"] = new string('b', MessagingRules.MaxBodyLength + 1) });

        await AssertTooMuchAsync(megabyte);
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        Assert.Contains("A message can be at most 5,000 characters.", await PortalForms.TextAsync(tooLong));
        await using var db = await app.Factory.DbAsync();
        Assert.Equal(1, await db.ConversationMessages.CountAsync(m => m.ConversationId == conversationId));
    }

    [Fact]
    public async Task An_email_longer_than_any_address_on_the_sign_in_forms_gets_its_message()
    {
        var longEmail = new string('e', 300) + "@example.com";

        var patient = await PortalForms.PatientSignInAsync(StaffClient.Anonymous(app.Factory), longEmail, "whatever it is");
        var staff = await StaffClient.PostSignInAsync(StaffClient.Anonymous(app.Factory), longEmail, "whatever it is");

        Assert.Contains("An email address has at most 254 characters.", await PortalForms.TextAsync(patient));
        Assert.Contains("An email address has at most 254 characters.", await PortalForms.TextAsync(staff));
    }

    [Fact]
    public async Task A_password_longer_than_the_sign_in_forms_take_gets_its_message()
    {
        var patient = await PortalForms.PatientSignInAsync(StaffClient.Anonymous(app.Factory), "someone@example.com", new string('p', 129));
        var staff = await StaffClient.PostSignInAsync(StaffClient.Anonymous(app.Factory), "frontdesk@demo.clinic", new string('p', 1_025));

        Assert.Contains("A portal password has at most 128 characters.", await PortalForms.TextAsync(patient));
        Assert.Contains("A password has at most 1,024 characters.", await PortalForms.TextAsync(staff));
    }

    private async Task<int> StartConversationAsync(int clientId)
    {
        using var scope = app.Factory.Services.CreateScope();
        var sent = await scope.ServiceProvider.GetRequiredService<StaffMessagingService>().StartAsync(clientId, "Question", "How are you?", true, Staff.FrontDesk);
        return Assert.IsType<MessageSendResult.Sent>(sent).ConversationId;
    }

    private static async Task AssertTooMuchAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("What was sent is longer than this form accepts, so nothing was saved.", html);
        Assert.InRange(html.Length, 1, RequestLimits.MaxFormValueLength / 10);
    }
}
