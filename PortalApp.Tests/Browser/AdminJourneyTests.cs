using Microsoft.Playwright;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

public sealed class AdminJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_renames_the_clinic_and_finds_the_change_in_the_audit_log()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "/admin/clinic", "admin@demo.clinic");

        var name = page.GetByLabel("Clinic name");
        await Assertions.Expect(name).ToHaveValueAsync("Maple Grove Family Health");
        await name.FillAsync("Maple Grove Health Centre");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("6-clinic-settings"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Clinic settings saved.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("Clinic settings changed");
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync("Staff sign-in");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("7-audit-log"), FullPage = true });

        // Export CSV is a download, not a page for Blazor's router.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        Assert.StartsWith("audit-log-", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains(",clinic-settings.edit,Clinic settings changed,", csv);

        // The app bar reads the new name on the next page load.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync("Maple Grove Health Centre");
        Assert.Empty(errors);
    }
}
