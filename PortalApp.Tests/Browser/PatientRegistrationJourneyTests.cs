using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

public sealed class PatientRegistrationJourneyTests(SmtpBrowserFixture browser) : IClassFixture<SmtpBrowserFixture>
{
    [Fact]
    public async Task A_patient_opens_the_emailed_link_on_a_phone_registers_and_sees_the_upcoming_appointment()
    {
        // Staff sends the invite from the client card.
        var patient = await ClientWithUpcomingAppointmentAsync();
        var (staff, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(staff, $"/clients/{patient.Id}", "frontdesk@demo.clinic");
        await staff.GetByRole(AriaRole.Tab, new() { Name = "Patient messaging" }).ClickAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send patient portal invite" }).ClickAsync();
        await staff.GetByTestId("invite-send").ClickAsync();
        await Assertions.Expect(staff.GetByTestId("invite-state")).ToHaveTextAsync("Pending");

        var email = (await browser.Smtp.WaitForMessagesAsync(1)).Single(m => m.EnvelopeTo.Single() == patient.Email);
        var link = Regex.Match(email.Message.TextBody ?? "", @"https?://\S+/register/[A-Za-z0-9_-]{43}").Value;
        var path = new Uri(link).AbsolutePath;

        // The patient, on a phone.
        var (phone, phoneErrors) = await browser.NewPageAsync(390, 844);
        await phone.GotoAsync(path);
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Create your portal account" })).ToBeVisibleAsync();
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("11-phone-register"), FullPage = true });
        await phone.GetByLabel("Your date of birth").FillAsync(patient.DateOfBirth.ToString("yyyy-MM-dd"));
        await phone.GetByLabel("Create a password").FillAsync("lantern orbit meadow cobalt");
        await Assertions.Expect(phone.Locator("#password-strength-text")).ToHaveTextAsync("Looks strong.");
        await phone.GetByLabel("Type the password again").FillAsync("lantern orbit meadow cobalt");
        await phone.GetByLabel(new Regex("I accept")).CheckAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = $"Hello {patient.PreferredName ?? patient.FirstName}" })).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByText("Your account is ready.")).ToBeVisibleAsync();
        await Assertions.Expect(phone.Locator("article.portal-card").First).ToBeVisibleAsync();
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("12-phone-portal-home"), FullPage = true });

        // The staff tab no longer offers invites.
        await staff.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(staff);
        await staff.GetByRole(AriaRole.Tab, new() { Name = "Patient messaging" }).ClickAsync();
        await Assertions.Expect(staff.GetByTestId("registered-notice")).ToBeVisibleAsync();
        Assert.Empty(errors);
        Assert.Empty(phoneErrors);
    }

    private async Task<Client> ClientWithUpcomingAppointmentAsync()
    {
        await using var db = await browser.Server.DbAsync();
        var now = DateTime.UtcNow;
        return await db.Clients.Where(c => c.Email != null && c.EndDate == null && c.Appointments.Any(a => a.StartUtc > now))
            .OrderByDescending(c => c.Id).FirstAsync();
    }
}
