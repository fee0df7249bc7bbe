using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PortalApp.Auditing;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

public sealed class StaffJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Staff_signs_in_finds_a_client_opens_the_card_and_the_charting_window()
    {
        var (page, errors) = await browser.NewPageAsync();

        await page.GotoAsync("/clients");
        await Assertions.Expect(page).ToHaveTitleAsync("Staff sign-in · Maple Grove Family Health");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("1-sign-in"), FullPage = true });
        await page.GetByLabel("Email").FillAsync("frontdesk@demo.clinic");
        await page.GetByLabel("Password").FillAsync(DemoSeeder.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(browser.Server.BaseUrl + "/clients");
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToContainTextAsync("Fran Desk");
        await page.GetByLabel("Search clients").FillAsync("Emma");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Smith, Emma" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("2-clients"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Smith, Emma" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Emma Smith", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("Emma Smith · Client card");
        await BrowserFixture.OpenTabAsync(page, "Appointments");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open charting window" }).First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("3-client-card"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Open charting window" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Chart note" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Patient messaging" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("4-charting-window"), FullPage = true });

        // A reload is a new open: prerendered, then rendered again by its circuit, and recorded once.
        await page.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(page);
        await BrowserFixture.OpenTabAsync(page, "Patient messaging");
        await Assertions.Expect(page.GetByTestId("patient-messaging-tab")).ToBeVisibleAsync();
        Assert.Equal((1, 2), await ViewsAsync("frontdesk@demo.clinic"));

        Assert.Empty(errors);
    }

    [Fact]
    public async Task Before_its_circuit_is_up_a_staff_page_holds_its_fields_and_buttons_and_typing_then_counts()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "/clients", "frontdesk@demo.clinic");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/_blazor/negotiate**", async route =>
        {
            await release.Task; // the next page's circuit waits until the test lets it go
            await route.ContinueAsync();
        });

        await page.GotoAsync("/clients"); // a full load: prerendered first, then live once its circuit is up
        var search = page.GetByLabel("Search clients");
        await Assertions.Expect(search).ToBeVisibleAsync();
        await Assertions.Expect(search).ToBeDisabledAsync();
        // Outside the page's fields the app bar takes no pointer yet: a click waits (here, until its short timeout).
        await Assert.ThrowsAsync<TimeoutException>(() => page.GetByRole(AriaRole.Button, new() { Name = "Show or hide navigation" })
            .ClickAsync(new() { Trial = true, Timeout = 500 }));
        Assert.Equal("true", await page.Locator(".mud-layout").GetAttributeAsync("aria-busy"));

        var typing = search.FillAsync("Emma"); // waits until the field can take it
        release.SetResult();
        await typing;
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Smith, Emma" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(1);
        Assert.Null(await page.Locator(".mud-layout").GetAttributeAsync("aria-busy"));

        // A page served without a circuit is never held: its link works as it is.
        await page.GotoAsync("/no-such-page");
        Assert.Null(await page.Locator(".mud-layout").GetAttributeAsync("aria-busy"));
        await Assertions.Expect(page.Locator("fieldset.page-frame")).ToBeEnabledAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to clients" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(browser.Server.BaseUrl + "/clients");
        Assert.All(errors, e => Assert.Contains("404", e)); // the browser reports the not-found page's status
    }

    /// <summary>Client card and chart-note views recorded for one staff member.</summary>
    private async Task<(int Cards, int ChartNotes)> ViewsAsync(string email)
    {
        await using var db = await browser.Server.DbAsync();
        var staffId = (await db.Users.SingleAsync(u => u.Email == email)).Id;
        var views = await db.AuditEvents.Where(a => a.StaffUserId == staffId).Select(a => a.Action).ToListAsync();
        return (views.Count(a => a == AuditActions.ClientView), views.Count(a => a == AuditActions.ChartNoteView));
    }
}
