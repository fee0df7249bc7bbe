using System.Reflection;
using System.Text.RegularExpressions;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Auditing;

/// <summary>
/// One vocabulary: every action the app writes is in <see cref="AuditActions.All"/>, so the Audit page's filter finds
/// it. The checks: the list is complete, the one writer refuses anything else (every test that drives a writer trips
/// over it), and no code names an action of its own, passes another, or writes audit rows around <see cref="AuditLog"/>.
/// </summary>
public sealed partial class AuditVocabularyTests
{
    [Fact]
    public void Every_action_constant_is_listed_once_with_a_friendly_name()
    {
        var constants = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(constants.Order(), AuditActions.All.Order());
        Assert.Equal(AuditActions.All.Length, AuditActions.All.Distinct().Count());
        var labels = AuditActions.All.Select(AuditActions.Label).ToList();
        Assert.All(AuditActions.All, a => Assert.NotEqual(a, AuditActions.Label(a)));
        Assert.Equal(labels.Count, labels.Distinct().Count());
        Assert.All(AuditActions.All, a => Assert.True(a.Length <= 64, $"{a} is longer than the Action column"));
    }

    [Fact]
    public async Task The_audit_log_refuses_an_action_outside_the_vocabulary()
    {
        await using var host = await ServiceTestHost.StartAsync();
        await using var db = await host.DbAsync();

        var ex = Assert.Throws<ArgumentException>(() => host.Get<AuditLog>().Add(db, Staff.Admin, "patient.password-reset-requested", null, AuditOutcome.Succeeded));

        Assert.Contains("not in AuditActions", ex.Message);
        Assert.Empty(db.ChangeTracker.Entries());
    }

    /// <summary>
    /// At each call of a writer (AuditLog.Add, ViewAudit.RecordAsync) the action is an AuditActions constant, a choice
    /// between them, or a parameter a helper hands on from its own callers; never a literal or another class's constant.
    /// </summary>
    [Fact]
    public void Every_writer_passes_an_AuditActions_constant()
    {
        var calls = SourceFiles()
            .SelectMany(f => AuditLogCall().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Action: ActionArgument(File.ReadAllText(f), m.Index + m.Length))))
            .ToList();

        Assert.True(calls.Count >= 30, $"Found only {calls.Count} writer calls: has a writer been renamed?");
        Assert.Contains(calls, c => c.Action == "AuditActions.ConversationView"); // the views are scanned too
        Assert.All(calls, call => Assert.True(UsesVocabulary(call.Action), $"{call.File}: audit.Add(..., {call.Action}, ...) must pass AuditActions.<Name>"));
    }

    [Fact]
    public void No_action_is_named_outside_AuditActions()
    {
        var declared = SourceFiles()
            .Where(f => Path.GetFileName(f) != "AuditActions.cs")
            .SelectMany(f => ActionDeclaration().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"));

        Assert.Empty(declared);
    }

    [Fact]
    public void Only_the_audit_log_creates_audit_rows()
    {
        var bypasses = SourceFiles()
            .Where(f => Path.GetFileName(f) != "AuditLog.cs" && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}"))
            .Where(f => RowWrite().IsMatch(File.ReadAllText(f)))
            .Select(Path.GetFileName);

        Assert.Empty(bypasses);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "PortalApp"), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs") || f.EndsWith(".razor")) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PortalApp.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("PortalApp.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The third argument of audit.Add(db, actor, action, ...), read up to its top-level comma.</summary>
    private static string ActionArgument(string source, int start)
    {
        var (depth, commas, from) = (0, 0, start);
        for (var i = start; i < source.Length; i++)
        {
            var c = source[i];
            if (c is '(' or '[' or '{')
                depth++;
            else if (c is ')' or ']' or '}')
                depth--;
            var endsArgument = (c == ',' && depth == 0) || depth < 0;
            if (!endsArgument)
                continue;
            if (++commas == 3 || depth < 0)
                return source[from..i].Trim();
            if (commas == 2)
                from = i + 1;
        }
        throw new InvalidOperationException("Unterminated audit.Add call");
    }

    // A constant, a choice between constants (condition ? AuditActions.A : AuditActions.B), or a parameter (camelCase).
    private static bool UsesVocabulary(string expression) =>
        Constant().IsMatch(expression) || Parameter().IsMatch(expression)
        || Choice().Match(expression) is { Success: true } m && UsesVocabulary(m.Groups[1].Value.Trim()) && UsesVocabulary(m.Groups[2].Value.Trim());

    [GeneratedRegex(@"\b_?(audit\.Add|views\.RecordAsync)\(", RegexOptions.IgnoreCase)]
    private static partial Regex AuditLogCall();

    [GeneratedRegex(@"\AAuditActions\.\w+\z")]
    private static partial Regex Constant();

    [GeneratedRegex(@"\A[a-z_][A-Za-z0-9_]*\z")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\A[^?]+\?\s*([^:]+?)\s*:\s*(.+)\z", RegexOptions.Singleline)]
    private static partial Regex Choice();

    // A string constant whose value reads like an action ("area.verb"): it belongs in AuditActions.
    [GeneratedRegex(@"(const|static\s+readonly)\s+string\s+\w+\s*=\s*""[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z][a-z0-9-]*""")]
    private static partial Regex ActionDeclaration();

    [GeneratedRegex(@"AuditEvents\.Add|new AuditEvent\b|Set<AuditEvent>\(\)\s*\.Add|INSERT INTO ""?AuditEvents", RegexOptions.IgnoreCase)]
    private static partial Regex RowWrite();
}
