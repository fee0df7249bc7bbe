using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace PortalApp.Benchmarks;

/// <summary>
/// One command per figure. Not top-level statements: those would make a second global <c>Program</c>, and the capacity
/// figures start the app's own (WebApplicationFactory&lt;Program&gt;).
/// </summary>
public static class Commands
{
    public static async Task Main(string[] args)
    {
        // dotnet run -c Release --project PortalApp.Benchmarks -- --filter '*'   (BenchmarkDotNet: invites)
        // dotnet run -c Release --project PortalApp.Benchmarks -- auth-load      (sign-in and registration load)
        // dotnet run -c Release --project PortalApp.Benchmarks -- template-memory (peak memory of the worst clinic template)
        // dotnet run -c Release --project PortalApp.Benchmarks -- sign-in-timing (a real staff email against an unknown one)
        // dotnet run -c Release --project PortalApp.Benchmarks -- schedule-week  (the Schedule's week view in a clinic of 100,000 appointments)
        // dotnet run -c Release --project PortalApp.Benchmarks -- circuit-memory [tabs] (server heap per staff circuit: client card vs empty page)
        if (args is ["circuit-memory", ..])
        {
            await PortalApp.Benchmarks.Capacity.CircuitMemory.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 20);
            return;
        }
        // dotnet run -c Release --project PortalApp.Benchmarks -- preview-latency [keys] (template editor: keystroke to preview painted)
        if (args is ["preview-latency", ..])
        {
            await PortalApp.Benchmarks.Capacity.PreviewRoundTrip.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 60);
            return;
        }
        // dotnet run -c Release --project PortalApp.Benchmarks -- portal-pages [loads] (portal home and a conversation at phone size)
        if (args is ["portal-pages", ..])
        {
            await PortalApp.Benchmarks.Capacity.PortalPageTiming.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 40);
            return;
        }
        // dotnet run -c Release --project PortalApp.Benchmarks -- provider-throughput (invites, registrations, outbox, staff pages: SQLite and PostgreSQL)
        if (args is ["provider-throughput", ..])
        {
            await PortalApp.Benchmarks.Capacity.ProviderThroughput.RunAsync();
            return;
        }
        if (args is ["schedule-week", ..])
        {
            await PortalApp.Benchmarks.ScheduleWeekTiming.RunAsync();
            return;
        }
        // dotnet run -c Release --project PortalApp.Benchmarks -- import-timing  (CSV import of 20k clients + 100k appointments vs bare EF Core)
        if (args is ["import-timing", ..])
        {
            await PortalApp.Benchmarks.ImportTiming.RunAsync();
            return;
        }
        if (args is ["sign-in-timing", ..])
        {
            await PortalApp.Benchmarks.SignInTiming.RunAsync();
            return;
        }
        if (args is ["auth-load", ..])
        {
            await PortalApp.Benchmarks.AuthLoad.RunAsync();
            return;
        }
        if (args is ["template-memory", ..])
        {
            await PortalApp.Benchmarks.TemplateMemory.RunAsync();
            return;
        }
        var config = DefaultConfig.Instance.AddColumn(StatisticColumn.P95);
        BenchmarkSwitcher.FromAssembly(typeof(PortalApp.Benchmarks.InviteBenchmarks).Assembly).Run(args, config);
    }
}
