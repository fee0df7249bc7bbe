using Microsoft.Playwright;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

public sealed class EmailJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_sends_a_test_email_and_reads_it_in_the_dev_mailbox()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "/email-log", "admin@demo.clinic");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send a test email to me" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Test email queued")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Dev mailbox" }).ClickAsync();
        // The dispatcher is woken by the commit; the mailbox lists the file once it is written.
        var email = page.GetByRole(AriaRole.Link, new() { Name = "Test email from Maple Grove Family Health" });
        await Assertions.Expect(email).ToBeVisibleAsync();
        await email.ClickAsync();

        var frame = page.FrameLocator("iframe.email-frame");
        await Assertions.Expect(frame.GetByText("If you can read it, Maple Grove Family Health can send email to patients.")).ToBeVisibleAsync();
        Assert.Equal("allow-popups allow-popups-to-escape-sandbox", await page.Locator("iframe.email-frame").GetAttributeAsync("sandbox"));
        await Assertions.Expect(page.Locator("pre.email-text")).ToContainTextAsync("This is a test email from PortalApp.");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("5-dev-mailbox"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Email log" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("Sent");
        Assert.Empty(errors);
    }
}
