using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project PortalApp.Benchmarks -- --filter '*'   (BenchmarkDotNet: invites)
// dotnet run -c Release --project PortalApp.Benchmarks -- auth-load      (sign-in and registration load)
// dotnet run -c Release --project PortalApp.Benchmarks -- template-memory (peak memory of the worst clinic template)
// dotnet run -c Release --project PortalApp.Benchmarks -- sign-in-timing (a real staff email against an unknown one)
// dotnet run -c Release --project PortalApp.Benchmarks -- schedule-week  (the Schedule's week view in a clinic of 100,000 appointments)
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
