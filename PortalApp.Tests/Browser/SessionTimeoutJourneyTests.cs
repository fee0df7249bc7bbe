using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

/// <summary>An open staff tab left alone: the warning two minutes before, "Stay signed in", then the sign-out.</summary>
public sealed class SessionTimeoutJourneyTests(FakeClockBrowserFixture browser) : IClassFixture<FakeClockBrowserFixture>
{
    [Fact]
    public async Task An_idle_tab_warns_two_minutes_before_offers_to_stay_and_then_signs_out()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "/clients", "frontdesk@demo.clinic");
        var warning = page.GetByTestId("session-warning");
        await page.Locator("[data-session-watch=on]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        browser.Clock.Advance(TimeSpan.FromMinutes(28.5));
        await Assertions.Expect(warning).ToContainTextAsync("You will be signed out in 2 minutes because nothing has happened on this page for a while.", new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("session-timeout-warning"), FullPage = true });
        await Axe.AssertAccessibleAsync(page, "Session warning");

        await page.GetByRole(AriaRole.Button, new() { Name = "Stay signed in" }).ClickAsync();
        await Assertions.Expect(warning).ToBeHiddenAsync();
        browser.Clock.Advance(TimeSpan.FromMinutes(20));
        await page.ReloadAsync(); // 20 minutes after "Stay signed in", the session still stands
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.Locator("[data-session-watch=on]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/clients$"));

        browser.Clock.Advance(TimeSpan.FromMinutes(31));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/sign-in\\?ended=idle"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByText("You were signed out because the page was left without activity.")).ToBeVisibleAsync();
        Assert.Empty(errors);
    }
}
