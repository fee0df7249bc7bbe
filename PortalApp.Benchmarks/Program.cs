using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using PortalApp.Benchmarks.Capacity;

namespace PortalApp.Benchmarks;

/// <summary>
/// One command per figure: <c>dotnet run -c Release --project PortalApp.Benchmarks -- &lt;command&gt; [count]</c>;
/// anything else goes to BenchmarkDotNet (<c>-- --filter '*'</c>: the invite benchmarks). Not top-level statements:
/// those would make a second global <c>Program</c>, and the capacity figures host the app's own.
/// </summary>
public static class Commands
{
    private static readonly Dictionary<string, (string Figure, Func<int?, Task> Run)> All = new()
    {
        ["auth-load"] = ("sign-in and registration load against the password-hash limit", _ => AuthLoad.RunAsync()),
        ["template-memory"] = ("peak memory of the worst clinic template", _ => TemplateMemory.RunAsync()),
        ["sign-in-timing"] = ("a real staff email against an unknown one", _ => SignInTiming.RunAsync()),
        ["schedule-week"] = ("the Schedule's week view in a clinic of 100,000 appointments", _ => ScheduleWeekTiming.RunAsync()),
        ["import-timing"] = ("CSV import of 20k clients + 100k appointments vs bare EF Core", _ => ImportTiming.RunAsync()),
        ["circuit-memory"] = ("server heap per staff circuit: client card vs the lightest page [tabs, 20]", n => CircuitMemory.RunAsync(n ?? 20)),
        ["preview-latency"] = ("template editor: keystroke to preview painted, in Chromium [keystrokes, 60]", n => PreviewRoundTrip.RunAsync(n ?? 60)),
        ["portal-pages"] = ("portal home and a conversation at phone size: first paint, interactive [loads, 40]", n => PortalPageTiming.RunAsync(n ?? 40)),
        ["intake-forms"] = ("intake forms: render, submit and compare a 120-question form, each against a bare baseline", _ => IntakeFormTiming.RunAsync()),
        ["provider-throughput"] = ("invites, registrations, outbox, staff pages per second on SQLite and PostgreSQL", _ => ProviderThroughput.RunAsync()),
        ["reminders-day"] = ("a 2,000-appointment day's reminders: plan, email over SMTP, text to Twilio, vs a bare loop [rounds, 5]", n => ReminderDayTiming.RunAsync(n ?? 5)),
        ["bulk-email"] = ("a bulk email to 10,000 patients over SMTP, Care and Promotional, vs a bare MailKit loop [rounds, 5]", n => BulkEmailTiming.RunAsync(n ?? 5)),
    };

    public static async Task Main(string[] args)
    {
        if (args is [var name, ..] && All.TryGetValue(name, out var command))
        {
            await command.Run(args.Length > 1 ? int.Parse(args[1]) : null);
            return;
        }
        if (args is ["--list-commands"])
        {
            foreach (var (key, (figure, _)) in All)
                Console.WriteLine($"{key,-20} {figure}");
            return;
        }
        var config = DefaultConfig.Instance.AddColumn(StatisticColumn.P95);
        BenchmarkSwitcher.FromAssembly(typeof(InviteBenchmarks).Assembly).Run(args, config);
    }
}
