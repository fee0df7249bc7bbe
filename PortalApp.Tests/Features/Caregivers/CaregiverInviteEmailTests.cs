using System.Text.RegularExpressions;
using PortalApp.Data;
using PortalApp.Features.Caregivers;
using PortalApp.Features.Registration;
using PortalApp.Tests.Email;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Caregivers;

/// <summary>The caregiver's invite over real SMTP, and what staff see on the tab when it went out or could not.</summary>
[Trait("Providers", "Both")]
public sealed class CaregiverInviteEmailTests : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;
    private ServiceTestHost _host = null!;
    private Client _child = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        var settings = OutboxTestData.SmtpSettings(_smtp.Port);
        settings["Outbox:MaxAttempts"] = "1";
        _host = await ServiceTestHost.StartAsync(settings);
        _child = await _host.AddClientAsync("Lily", "Rivera", new DateOnly(2016, 6, 2), email: null, phone: null);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private async Task<long> SendAsync()
    {
        var form = CaregiverInvites.Form(await CaregiverInvites.DefaultTemplateAsync(_host.Services), "Maya", "Rivera", "maya.rivera@example.com");
        return Assert.IsType<CaregiverSendResult.Sent>(await _host.Scoped<CaregiverInviteService>().SendAsync(_child.Id, form, Staff.FrontDesk)).AccessId;
    }

    private async Task<CaregiverRow> RowAsync() => Assert.Single((await _host.Scoped<CaregiverAccessService>().GetStateAsync(_child.Id))!.Caregivers);

    [Fact]
    public async Task The_caregiver_receives_an_email_about_the_patient_whose_link_registers_them()
    {
        await SendAsync();
        Assert.Equal("Email: queued", (await RowAsync()).InviteEmail);

        await _host.DispatchAsync();

        var email = (await _smtp.WaitForMessagesAsync(1)).Single();
        Assert.Equal(["maya.rivera@example.com"], email.EnvelopeTo);
        Assert.Equal("Test Clinic invites you to Lily's patient portal", email.Message.Subject);
        Assert.Contains("Hello Maya,", email.Message.TextBody);
        Assert.Contains("Lily Rivera (your child)", email.Message.TextBody);
        Assert.DoesNotContain(PortalApp.Data.OutboxEmail.SecretMarker, email.Message.HtmlBody + email.Message.TextBody);
        var token = Regex.Match(email.Message.TextBody ?? "", "/register/([A-Za-z0-9_-]{43})").Groups[1].Value;
        Assert.IsType<RegistrationResult.Registered>(await _host.Scoped<RegistrationService>().RegisterAsync(token, new RegistrationForm
        {
            DateOfBirth = "2016-06-02", Password = PortalForms.PatientPassword, ConfirmPassword = PortalForms.PatientPassword, AcceptTerms = true,
        }));
        Assert.Equal(CaregiverRowStatus.Active, (await RowAsync()).Status);
    }

    [Fact]
    public async Task When_the_mail_server_is_down_staff_see_that_the_invite_email_failed_and_re_sending_delivers_it()
    {
        var accessId = await SendAsync();
        await _smtp.StopAsync();

        await _host.DispatchAsync();

        Assert.StartsWith("Email: failed: ", (await RowAsync()).InviteEmail);
        await _smtp.StartAsync();
        Assert.IsType<Outcome.Done>(await _host.Scoped<CaregiverInviteService>().ResendAsync(_child.Id, accessId, Staff.FrontDesk));
        await _host.DispatchAsync();
        Assert.Equal(["maya.rivera@example.com"], (await _smtp.WaitForMessagesAsync(1)).Single().EnvelopeTo);
        Assert.StartsWith("Email: sent ", (await RowAsync()).InviteEmail);
    }
}
