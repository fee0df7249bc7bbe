using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

/// <summary>New client with its duplicate prompt, the End date dialog, and a merge, in Chromium with axe on each new screen.</summary>
public sealed class ClientRecordsJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Admin_creates_a_second_card_for_a_client_despite_the_prompt_then_merges_the_two()
    {
        var existing = await ExistingClientAsync();
        var (page, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "/clients", "admin@demo.clinic");

        await page.GetByRole(AriaRole.Link, new() { Name = "New client" }).ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^New client"));
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Axe.AssertAccessibleAsync(page, "new client");
        await page.GetByLabel("First name").FillAsync(existing.FirstName.ToUpperInvariant());
        await page.GetByLabel("Last name").FillAsync(existing.LastName);
        await page.GetByLabel("Date of birth").FillAsync(existing.DateOfBirth.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Date of birth").PressAsync("Tab");
        await page.GetByLabel("Mobile phone").FillAsync("613 555 0123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create client" }).ClickAsync();

        var prompt = page.GetByTestId("duplicate-prompt");
        await Assertions.Expect(prompt).ToContainTextAsync("name and date of birth");
        await Assertions.Expect(prompt.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/clients/{existing.Id}");
        await Axe.AssertAccessibleAsync(page, "duplicate prompt");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("30-new-client-duplicate-prompt"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "This is a new person: create the card" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/clients/\d+$"));
        var newId = int.Parse(page.Url.Split('/').Last());
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByText("(613) 555-0123").First).ToBeVisibleAsync();

        await BrowserFixture.OpenTabAsync(page, "Appointments");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("First name")).ToBeFocusedAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "End date" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("can no longer sign in to the portal");
        await Axe.AssertAccessibleAsync(page, "end date dialog");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("31-end-date-dialog"), FullPage = true });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Merge with another card…" }).ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Merge client cards"));
        await BrowserFixture.WaitForInteractiveAsync(page);
        await BrowserFixture.SearchAndPickAsync(page.GetByLabel("Other card for the same person"), $"{existing.FirstName} {existing.LastName}",
            page.GetByText($"card {existing.Id})"));
        await page.GetByRole(AriaRole.Group, new() { Name = "Email" }).GetByText("Other card:").ClickAsync();
        await Assertions.Expect(page.GetByTestId("merge-moves")).ToContainTextAsync("appointment(s)");
        await Axe.AssertAccessibleAsync(page, "merge client cards");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("32-merge-client-cards"), FullPage = true });
        await page.GetByTestId("merge-confirm").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Merge" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync($"{browser.Server.BaseUrl}/clients/{newId}");
        await Assertions.Expect(page.GetByText(existing.Email!).First).ToBeVisibleAsync();

        // The old id keeps working: it opens the surviving card, which says what happened.
        await page.GotoAsync($"/clients/{existing.Id}");
        await Assertions.Expect(page).ToHaveURLAsync($"{browser.Server.BaseUrl}/clients/{newId}?mergedFrom={existing.Id}");
        await Assertions.Expect(page.GetByTestId("merged-notice")).ToContainTextAsync($"Client card {existing.Id} was merged into");
        await BrowserFixture.WaitForLivePageAsync(page);
        await Axe.AssertAccessibleAsync(page, "merged card notice");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("33-merged-card-notice"), FullPage = true });

        await using var db = await browser.Server.DbAsync();
        Assert.Equal(newId, (await db.Clients.SingleAsync(c => c.Id == existing.Id)).MergedIntoClientId);
        Assert.False(await db.Appointments.AnyAsync(a => a.ClientId == existing.Id));
        Assert.Empty(errors);
    }

    /// <summary>An active demo client with an email and appointments.</summary>
    private async Task<Client> ExistingClientAsync()
    {
        await using var db = await browser.Server.DbAsync();
        return await db.Clients.Where(c => c.EndDate == null && c.Email != null && c.Appointments.Any()).OrderBy(c => c.Id).FirstAsync();
    }
}
