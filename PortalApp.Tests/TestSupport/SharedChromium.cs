using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(PortalApp.Tests.TestSupport.SharedChromium))]

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// One Debian Chromium (and one Playwright driver) for the whole run; each test gets browser contexts of its own, which
/// share no cookies, storage or cache. A launch cost about 2.4 s of a core, and every browser test class paid it.
/// Started on first use, so a run without browser tests starts no browser.
/// </summary>
public sealed class SharedChromium : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    public static async Task<IBrowser> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true })
                return _browser;
            if (!File.Exists(ChromiumPath))
                throw new InvalidOperationException($"{ChromiumPath} is missing. Run ./test.sh (it installs Debian's chromium) or: apt-get install -y chromium");
            // Both test passes share two cores with their servers and browsers: a page that answers in 2 s when
            // quiet has taken more than 5 s (Playwright's default) under that load. A failing check still fails.
            Assertions.SetDefaultExpectTimeout(15_000);
            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return _browser;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
