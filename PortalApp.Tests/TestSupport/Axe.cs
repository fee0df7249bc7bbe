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
    };

    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var result = await page.RunAxe(Wcag21AA);
        Assert.NotEmpty(result.Passes); // axe really ran its rules on this page
        var problems = result.Violations.Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
