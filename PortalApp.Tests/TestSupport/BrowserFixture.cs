using Microsoft.Playwright;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser), and the app on a real port.
/// Every page opened through <see cref="NewPageAsync"/> fails the test on any console error or page error,
/// which is how a Content-Security-Policy that breaks the UI gets caught.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private IBrowser? _browser;
    private readonly List<IBrowserContext> _contexts = [];

    public PortalServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await StartServerAsync();
        _browser = await SharedChromium.GetAsync();
    }

    protected virtual Task<PortalServer> StartServerAsync() => Task.FromResult(PortalServer.Start());

    public async Task<(IPage Page, List<string> Errors)> NewPageAsync(int width = 1366, int height = 900)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-CA",
        });
        lock (_contexts)
            _contexts.Add(context);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                errors.Add(message.Text);
        };
        page.PageError += (_, error) => errors.Add(error);
        return (page, errors);
    }

    /// <summary>Opens <paramref name="path"/>, is sent to the sign-in form, signs in and waits for the live page.</summary>
    public static async Task SignInAsync(IPage page, string path, string email)
    {
        await page.GotoAsync(path);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(PortalApp.Infrastructure.DemoSeeder.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Blazor Server ignores clicks until its circuit is up; the layout marks that moment.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

    /// <summary>
    /// A staff page opened afresh, once live and titled again: as its circuit takes over, the page's title is briefly
    /// gone, and axe run in that moment reports a document without a title (seen twice).
    /// </summary>
    public static async Task WaitForLivePageAsync(IPage page)
    {
        await WaitForInteractiveAsync(page);
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("."));
    }

    /// <summary>
    /// Picks a file in a Blazor InputFile. The circuit being up is not enough: the input listens for its change event
    /// only once InputFile's first render has run its script, and a file picked before that is silently dropped.
    /// </summary>
    public static async Task PickFileAsync(ILocator input, FilePayload file)
    {
        var element = await input.ElementHandleAsync();
        await input.Page.WaitForFunctionAsync("input => input._blazorInputFileNextFileId !== undefined", element, new() { Timeout = 15_000 });
        await input.SetInputFilesAsync(file);
    }

    /// <summary>
    /// Types into a MudAutocomplete and picks a match. Clicked into first, as a person does: text arriving before
    /// the look-up has taken focus can lose its list of matches.
    /// </summary>
    public static async Task SearchAndPickAsync(ILocator input, string text, ILocator option)
    {
        await input.ClickAsync();
        await input.FillAsync(text);
        await option.ClickAsync();
    }

    /// <summary>
    /// Opens a client-card tab. MudTabs takes a click as its own only once its first-render interop has measured the
    /// tabs (a click before that was seen to leave Details selected); the slider's width says that moment has passed.
    /// </summary>
    public static async Task OpenTabAsync(IPage page, string name)
    {
        var tab = page.GetByRole(AriaRole.Tab, new() { Name = name });
        await tab.WaitForAsync(new() { Timeout = 15_000 });
        // At least one slider: before MudTabs has drawn any, "every slider is measured" held for none, and a click then was lost.
        await page.WaitForFunctionAsync("() => { const sliders = [...document.querySelectorAll('.mud-tab-slider')]; return sliders.length > 0 && sliders.every(s => s.getBoundingClientRect().width > 0); }",
            null, new() { Timeout = 15_000 });
        await tab.ClickAsync();
        await Assertions.Expect(tab).ToHaveAttributeAsync("aria-selected", "true");
    }

    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    public virtual async ValueTask DisposeAsync()
    {
        // The browser outlives this class: its pages go first, or they would keep trying to reach the stopped server.
        IBrowserContext[] contexts;
        lock (_contexts)
            contexts = [.. _contexts];
        foreach (var context in contexts)
            await context.CloseAsync();
        if (Server is not null)
            await Server.DisposeAsync();
    }
}
