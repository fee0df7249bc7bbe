using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace PortalApp.Tests.TestSupport;

/// <summary>axe-core with the WCAG 2.1 A and AA rules; any violation fails the test.</summary>
public static class Axe
{
    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        // Email previews sit in iframes sandboxed without scripts: axe would wait forever for them to answer. The
        // iframe element itself (its title) is still checked; the email inside is the clinic's template output.
        Iframes = false,
        // Full details for violations only: passes and the rest keep one example node per rule. Collecting and sending
        // every passing node of a staff page cost about 7 CPU-seconds a page on two cores.
        ResultTypes = [ResultType.Violations],
    };

    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        // A snackbar still fading in or out is half transparent, and axe would judge its colours mid-fade. Stopping the
        // animations shows every element in its final colours, which are what a reader sees.
        var still = await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { animation: none !important; transition: none !important; }" });
        AxeResult result;
        try
        {
            result = await page.RunAxe(Wcag21AA);
        }
        finally
        {
            await still.EvaluateAsync("style => style.remove()"); // the rest of the test runs with the page's own animations
        }
        Assert.NotEmpty(result.Passes); // axe really ran its rules on this page
        var problems = result.Violations.Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
