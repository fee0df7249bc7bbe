using PortalApp.Security;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Features.Invites;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

public sealed class InviteJourneyTests(SmtpBrowserFixture browser) : IClassFixture<SmtpBrowserFixture>
{
    [Fact]
    public async Task Staff_invites_from_the_client_card_and_from_the_charting_window_and_the_emails_arrive_over_smtp()
    {
        var (first, second) = await TwoInvitableClientsAsync();
        var (page, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, $"/clients/{first.Id}", "frontdesk@demo.clinic");

        await BrowserFixture.OpenTabAsync(page, "Patient messaging");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send patient portal invite" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("invite-preview-subject")).ToHaveTextAsync("Maple Grove Family Health invites you to your patient portal");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Template" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Brief invite" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("invite-preview-subject")).ToHaveTextAsync("Your Maple Grove Family Health portal account");
        await Assertions.Expect(page.FrameLocator("iframe.email-frame").GetByText($"Hi {first.PreferredName ?? first.FirstName},")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("9-invite-preview"), FullPage = true });
        await page.GetByTestId("invite-send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("invite-state")).ToHaveTextAsync("Pending");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Re-send patient portal invite" })).ToBeVisibleAsync();

        var received = (await browser.Smtp.WaitForMessagesAsync(1)).Single();
        Assert.Equal([first.Email!], received.EnvelopeTo);
        Assert.Equal("Your Maple Grove Family Health portal account", received.Message.Subject);
        await AssertLinkMatchesStoredHashAsync(received.Message.TextBody, first.Id);
        // The tab hears from the dispatcher: no reload needed to see the email went out.
        await Assertions.Expect(page.GetByTestId("invite-delivery")).ToContainTextAsync("Email: sent");

        await page.GotoAsync($"/appointments/{second.AppointmentId}/chart");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await BrowserFixture.OpenTabAsync(page, "Patient messaging");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send patient portal invite" }).ClickAsync();
        await page.GetByTestId("invite-send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("invite-state")).ToHaveTextAsync("Pending");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("10-charting-invite-sent"), FullPage = true });

        var both = await browser.Smtp.WaitForMessagesAsync(2);
        var fromChart = both.Single(m => m.EnvelopeTo.Single() == second.Email);
        Assert.Equal("Maple Grove Family Health invites you to your patient portal", fromChart.Message.Subject);
        await AssertLinkMatchesStoredHashAsync(fromChart.Message.TextBody, second.Id);
        Assert.Empty(errors);
    }

    private async Task AssertLinkMatchesStoredHashAsync(string? text, int clientId)
    {
        var token = Regex.Match(text ?? "", @"/register/([A-Za-z0-9_-]{43})\b").Groups[1].Value;
        Assert.NotEmpty(token);
        await using var db = await browser.Server.DbAsync();
        var invite = await db.PortalInvites.SingleAsync(i => i.ClientId == clientId && i.Status == InviteStatus.Pending);
        Assert.Equal(SecretTokens.Hash(token), invite.TokenHash);
    }

    private async Task<(Client First, (int Id, string Email, int AppointmentId) Second)> TwoInvitableClientsAsync()
    {
        await using var db = await browser.Server.DbAsync();
        var candidates = await db.Clients.Where(c => c.Email != null && c.EndDate == null && c.Appointments.Any())
            .OrderBy(c => c.Id).Take(2).Select(c => new { Client = c, AppointmentId = c.Appointments.Select(a => a.Id).First() }).ToListAsync();
        return (candidates[0].Client, (candidates[1].Client.Id, candidates[1].Client.Email!, candidates[1].AppointmentId));
    }
}
