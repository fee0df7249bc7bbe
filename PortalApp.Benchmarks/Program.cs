using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project PortalApp.Benchmarks -- --filter '*'
var config = DefaultConfig.Instance.AddColumn(StatisticColumn.P95);
BenchmarkSwitcher.FromAssembly(typeof(PortalApp.Benchmarks.InviteBenchmarks).Assembly).Run(args, config);
