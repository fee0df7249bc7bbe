using System.Reflection;
using System.Text.RegularExpressions;
using PortalApp.Infrastructure;

namespace PortalApp.Tests.Web;

/// <summary>No regular expression in the app can run without a time limit, whatever it is given.</summary>
public sealed class RegexTimeoutTests
{
    private static readonly Assembly App = typeof(RegexTimeout).Assembly;

    [Fact]
    public void Every_generated_regex_has_the_apps_timeout()
    {
        var generated = App.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<GeneratedRegexAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();

        Assert.NotEmpty(generated);
        Assert.All(generated, x =>
        {
            Assert.True(x.Attribute!.MatchTimeoutMilliseconds == RegexTimeout.Milliseconds, $"{x.Method.DeclaringType!.Name}.{x.Method.Name} has no timeout");
            Assert.Equal(TimeSpan.FromMilliseconds(RegexTimeout.Milliseconds), ((Regex)x.Method.Invoke(null, null)!).MatchTimeout);
        });
    }

    [Fact]
    public void No_regex_is_built_at_run_time_where_a_timeout_could_be_forgotten()
    {
        var source = Path.Combine(RepositoryRoot(), "PortalApp");
        string[] unbounded = ["new Regex(", "Regex.IsMatch(", "Regex.Match(", "Regex.Matches(", "Regex.Replace(", "Regex.Split("];

        var offenders = Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs") || f.EndsWith(".razor")) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => unbounded.Any(File.ReadAllText(f).Contains))
            .Select(f => Path.GetRelativePath(source, f));

        Assert.Empty(offenders);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PortalApp.sln")))
            folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("PortalApp.sln not found above " + AppContext.BaseDirectory);
    }
}
