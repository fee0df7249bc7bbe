using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace PortalApp.Tests.TestSupport;

/// <summary>axe-core with the WCAG 2.1 A and AA rules; any violation fails the test.</summary>
/// <remarks>
/// axe-core is the build Deque.AxeCore.Commons ships, run with <c>axe.run</c> in the page itself. Deque's Playwright wrapper runs
/// it as runPartial plus finishRun in a second, blank page: 3.3 s a check against 0.4 s for the same rules on a staff
/// page, which made axe about a third of the browser tests' CPU on two cores.
/// </remarks>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
    {
        using var stream = typeof(AxeResult).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is no longer inside Deque.AxeCore.Commons.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    // Email previews sit in iframes sandboxed without scripts: axe would wait forever for them to answer. The iframe
    // element itself (its title) is still checked; the email inside is the clinic's template output.
    private const string RunWcag21AA = """
        async () => {
          const result = await axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            iframes: false,
            resultTypes: ['violations'],
          });
          return JSON.stringify({
            passes: result.passes.length,
            violations: result.violations.map(v => ({
              id: v.id, impact: v.impact ?? '', help: v.help,
              targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
            })),
          });
        }
        """;

    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        // A snackbar still fading in or out is half transparent, and axe would judge its colours mid-fade. Stopping the
        // animations shows every element in its final colours, which are what a reader sees.
        var still = await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { animation: none !important; transition: none !important; }" });
        Outcome result;
        try
        {
            // Evaluated rather than added as a script tag: the app's Content-Security-Policy refuses inline scripts.
            if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
                await page.EvaluateAsync(Source.Value);
            result = System.Text.Json.JsonSerializer.Deserialize<Outcome>(await page.EvaluateAsync<string>(RunWcag21AA), System.Text.Json.JsonSerializerOptions.Web)!;
        }
        finally
        {
            await still.EvaluateAsync("style => style.remove()"); // the rest of the test runs with the page's own animations
        }
        Assert.True(result.Passes > 0, $"{name}: axe passed no rule, so it did not really run");
        var problems = result.Violations.Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Targets)}").ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private sealed record Outcome(int Passes, Violation[] Violations);

    private sealed record Violation(string Id, string Impact, string Help, string[] Targets);
}
