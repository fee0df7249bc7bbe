using Microsoft.Playwright;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// Issue 11's second figure: in the template editor, from a keystroke in the Subject field to the changed preview
/// painted, in Chromium over loopback. Timestamps are taken in the page: a keydown listener (capture phase) starts the
/// clock, a MutationObserver on the preview panel sees the change arrive, and the next requestAnimationFrame (the frame
/// that paints it) stops it. Keystrokes alternate a letter and Backspace, one at a time, each after the last was painted.
/// Baseline in the same run: the same measure for a round trip that does no work, Space on the app bar's menu button
/// (the server toggles the navigation drawer).
/// </summary>
public static class PreviewRoundTrip
{
    private const int Warmup = 6;

    /// <summary>
    /// The editor's Subject and Message fields wait this long after the last keystroke before they pass the text on
    /// (DebounceInterval in TemplateEditorPage.razor), so a preview is rendered once per pause in typing, not per key.
    /// </summary>
    private const double EditorDebounceMs = PortalApp.Features.Templates.TemplateEditorPage.PreviewDebounceMs;

    public static async Task RunAsync(int keystrokes = 60)
    {
        Samples.Header($"preview-latency: {keystrokes} keystrokes each");
        await using var server = CapacityServer.Start();
        await using var chromium = await Chromium.LaunchAsync();
        var context = await chromium.NewContextAsync(server.BaseUrl);
        var page = await Chromium.SignInStaffAsync(context, "/admin/templates/new/PortalInvite", "admin@demo.clinic");
        await page.GetByTestId("template-preview-subject").WaitForAsync();

        var subject = page.GetByRole(AriaRole.Textbox, new() { Name = "Subject" });
        await subject.ClickAsync();
        await page.Keyboard.PressAsync("End");
        var preview = await MeasureAsync(page, "[data-testid=template-preview-subject]", ".mud-paper", keystrokes, i => i % 2 == 0 ? "x" : "Backspace");

        var menu = page.GetByRole(AriaRole.Button, new() { Name = "Show or hide navigation" });
        await menu.FocusAsync();
        var baseline = await MeasureAsync(page, ".mud-drawer", null, keystrokes, _ => "Space");

        Report("keystroke -> preview painted", preview);
        Report("baseline: Space -> drawer toggled", baseline);
        var afterDebounce = preview.Select(ms => ms - EditorDebounceMs).ToList();
        Report($"the same less the {EditorDebounceMs:F0} ms debounce", afterDebounce);
        var (p95, median) = (Samples.Percentile(preview, 0.95), Samples.Median(preview));
        Console.WriteLine($"ratio of medians preview/baseline {median / Samples.Median(baseline):F1}; target p95 <= 100 ms from the keystroke: {(p95 <= 100 ? "met" : "MISSED")}; " +
            $"after the debounce: {(Samples.Percentile(afterDebounce, 0.95) <= 100 ? "met" : "MISSED")}");
    }

    private static void Report(string name, List<double> values) =>
        Console.WriteLine($"{name,-36} median {Samples.Median(values),6:F1} ms   p95 {Samples.Percentile(values, 0.95),6:F1} ms   max {values.Max(),6:F1} ms   n={values.Count}");

    /// <param name="watched">An element inside the part that changes.</param>
    /// <param name="ancestor">The closest ancestor of <paramref name="watched"/> to observe (null: the element itself).</param>
    private static async Task<List<double>> MeasureAsync(IPage page, string watched, string? ancestor, int keystrokes, Func<int, string> key)
    {
        await page.EvaluateAsync("""
            ([watched, ancestor]) => {
                const element = document.querySelector(watched);
                const root = ancestor ? element.closest(ancestor) : element;
                window.__roundTrip?.observer.disconnect();
                const rt = window.__roundTrip = { samples: [], started: null, observer: null, waiting: null };
                // Resolves once sample n has arrived (no waitForFunction: it evaluates strings, which the CSP forbids).
                rt.next = n => new Promise((resolve, reject) => {
                    if (rt.samples.length > n) return resolve();
                    rt.waiting = { n, resolve };
                    setTimeout(() => reject(new Error(`No change painted within 10 s of keystroke ${n}`)), 10000);
                });
                if (!window.__roundTripKeys) {
                    window.__roundTripKeys = true;
                    document.addEventListener('keydown', () => { if (window.__roundTrip) window.__roundTrip.started = performance.now(); }, true);
                }
                rt.observer = new MutationObserver(() => {
                    if (rt.started === null) return;
                    const started = rt.started;
                    rt.started = null;
                    requestAnimationFrame(() => {
                        rt.samples.push(performance.now() - started);
                        if (rt.waiting && rt.samples.length > rt.waiting.n) rt.waiting.resolve();
                    });
                });
                rt.observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
            }
            """, new[] { watched, ancestor });
        for (var i = 0; i < Warmup + keystrokes; i++)
        {
            await page.Keyboard.PressAsync(key(i));
            await page.EvaluateAsync("n => window.__roundTrip.next(n)", i);
        }
        var samples = await page.EvaluateAsync<double[]>("window.__roundTrip.samples");
        return samples.Skip(Warmup).ToList();
    }
}
