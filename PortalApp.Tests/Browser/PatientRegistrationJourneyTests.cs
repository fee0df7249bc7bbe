using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

public sealed class PatientRegistrationJourneyTests(SmtpBrowserFixture browser) : IClassFixture<SmtpBrowserFixture>
{
    [Fact]
    public async Task The_whole_story_invite_register_on_a_phone_message_reply_live_and_end_date_cuts_access()
    {
        // Staff sends the invite from the client card.
        var patient = await ClientWithUpcomingAppointmentAsync();
        var (staff, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(staff, $"/clients/{patient.Id}", "frontdesk@demo.clinic");
        await BrowserFixture.OpenTabAsync(staff, "Patient messaging");
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

        // Staff now messages instead of inviting.
        await staff.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(staff);
        await BrowserFixture.OpenTabAsync(staff, "Patient messaging");
        await Assertions.Expect(staff.GetByTestId("registered-notice")).ToBeVisibleAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send patient portal message" }).ClickAsync();
        await staff.GetByLabel("Subject").FillAsync("Before your visit");
        await staff.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FillAsync("Please bring your medication list.");
        await staff.GetByTestId("message-send").ClickAsync();
        await Assertions.Expect(staff.GetByTestId("conversation-thread")).ToContainTextAsync("Please bring your medication list.");

        // The patient, back on the portal later, reads and replies on the phone.
        await phone.GetByRole(AriaRole.Link, new() { Name = "Home" }).ClickAsync();
        await phone.GetByRole(AriaRole.Link, new() { Name = "Messages (1 new)" }).ClickAsync();
        await phone.GetByRole(AriaRole.Link, new() { Name = "Before your visit" }).ClickAsync();
        await Assertions.Expect(phone.Locator(".message-body")).ToHaveTextAsync("Please bring your medication list.");
        await phone.GetByLabel("Your reply").FillAsync("Will do, thank you.");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Assertions.Expect(phone.Locator(".message-patient .message-body")).ToHaveTextAsync("Will do, thank you.");
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("13-phone-conversation"), FullPage = true });

        // Staff sees the reply appear without reloading.
        await Assertions.Expect(staff.GetByTestId("conversation-thread")).ToContainTextAsync("Will do, thank you.");
        await staff.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("14-staff-conversation"), FullPage = true });

        // Staff end-dates the client: the patient's next page shows that access has ended, and sign-in is refused.
        await BrowserFixture.OpenTabAsync(staff, "Details");
        await staff.GetByLabel("End date").FillAsync(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"));
        await staff.GetByLabel("End date").PressAsync("Tab");
        await staff.GetByTestId("save-client").ClickAsync();
        await Assertions.Expect(staff.GetByText("Client details saved.")).ToBeVisibleAsync();
        // The page the patient left open says so by itself (it asks every 20 seconds) and its reply form goes dead.
        await Assertions.Expect(phone.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Your portal access has ended. Contact Maple Grove Family Health.", new() { Timeout = 30_000 });
        await Assertions.Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Send reply" })).ToBeDisabledAsync();
        await phone.GetByRole(AriaRole.Link, new() { Name = "Home" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your portal access has ended. Contact Maple Grove Family Health.");
        await phone.GetByLabel("Email").FillAsync(patient.Email!);
        await phone.GetByLabel("Password").FillAsync("lantern orbit meadow cobalt");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your portal access has ended.");
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("15-phone-access-ended"), FullPage = true });
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
