using Microsoft.Playwright;
using PortalApp.Infrastructure;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>Debian's Chromium through Playwright (never a downloaded browser), as the browser tests drive it.</summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Chromium(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: apt-get install -y chromium");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                // Many tabs of one site: a few renderer processes instead of one each, or the browser takes the machine.
                "--renderer-process-limit=4"],
        });
        return new Chromium(playwright, browser);
    }

    /// <param name="storageState">Cookies to start with (from another context's StorageStateAsync), or none.</param>
    public Task<IBrowserContext> NewContextAsync(string baseUrl, int width = 1366, int height = 900, string? storageState = null) =>
        _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "en-CA", StorageState = storageState,
        });

    /// <summary>Signs a staff member in through the real form; the context keeps the cookie for its other pages.</summary>
    public static async Task<IPage> SignInStaffAsync(IBrowserContext context, string path, string email)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DemoSeeder.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await WaitForInteractiveAsync(page);
        return page;
    }

    /// <summary>The staff layout marks the moment its circuit is up.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
