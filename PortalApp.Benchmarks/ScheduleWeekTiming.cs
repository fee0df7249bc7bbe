using System.Diagnostics;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using MudBlazor.Services;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.Schedule;

namespace PortalApp.Benchmarks;

/// <summary>
/// Issue 10's figure: the Schedule's week view for one practitioner, read (ScheduleQueries.DaysAsync) and rendered to
/// HTML (the ScheduleGrid component, with MudBlazor's buttons) on the server, in a clinic of 100,000 appointments,
/// against the same week when the clinic has only that week's bookings (1,120) in the same run.
/// </summary>
public static class ScheduleWeekTiming
{
    private const int Practitioners = 10, PerDay = 16, Clients = 2_000, Total = 100_000, Runs = 300, Warmup = 100;
    private static readonly DateOnly Monday = new(2026, 3, 9); // the week after the spring change, for good measure

    public static async Task RunAsync()
    {
        await using var host = await BenchmarkHost.StartAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");
        var (practitionerIds, clientIds, typeId) = await SeedBasicsAsync(host);
        var week = Enumerable.Range(0, 7).Select(Monday.AddDays).ToList();
        var seeded = await SeedDaysAsync(host, week, practitionerIds, clientIds, typeId, zone);

        await using var renderer = NewRenderer();
        Console.WriteLine($"Cores: {Environment.ProcessorCount}; {Runs} runs after {Warmup} warm-up runs; week of {Monday:yyyy-MM-dd}, one practitioner");
        Console.WriteLine($"{"clinic",-36} {"in week",8} {"median",10} {"p95",10} {"max",10} {"html",10}");
        await MeasureAsync($"baseline: {seeded:N0} appointments", host, renderer, practitionerIds[0], week, zone);

        // The rest of the 100,000 on the days before and after that week, as a clinic's history and future bookings.
        var other = new List<DateOnly>();
        for (var d = 1; seeded + other.Count * Practitioners * PerDay < Total; d++)
        {
            other.Add(Monday.AddDays(-d));
            other.Add(Monday.AddDays(6 + d));
        }
        for (var i = 0; i < other.Count; i += 40)
            seeded += await SeedDaysAsync(host, other.Skip(i).Take(40).ToList(), practitionerIds, clientIds, typeId, zone);
        await MeasureAsync($"full: {seeded:N0} appointments", host, renderer, practitionerIds[0], week, zone);
    }

    private static async Task MeasureAsync(string name, BenchmarkHost host, HtmlRenderer renderer, int practitionerId, List<DateOnly> week, TimeZoneInfo zone)
    {
        var queries = host.Scoped<ScheduleQueries>();
        var times = new List<double>();
        var queryTimes = new List<double>();
        int count = 0, length = 0;
        for (var i = 0; i < Warmup + Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var items = await queries.DaysAsync(practitionerId, week[0], 7, zone);
            var queried = watch.Elapsed.TotalMilliseconds;
            var html = await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var output = await renderer.RenderComponentAsync<ScheduleGrid>(ParameterView.FromDictionary(new Dictionary<string, object?>
                {
                    [nameof(ScheduleGrid.Days)] = week, [nameof(ScheduleGrid.Items)] = items, [nameof(ScheduleGrid.Zone)] = zone,
                    [nameof(ScheduleGrid.Label)] = "Dr. Bench: week",
                }));
                return output.ToHtmlString();
            });
            watch.Stop();
            if (i >= Warmup)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
                queryTimes.Add(queried);
            }
            (count, length) = (items.Count, html.Length);
        }
        times.Sort();
        queryTimes.Sort();
        static double At(List<double> sorted, double q) => sorted[(int)Math.Ceiling(q * sorted.Count) - 1];
        Console.WriteLine($"{name,-36} {count,8} {At(times, 0.5),8:F2}ms {At(times, 0.95),8:F2}ms {times[^1],8:F2}ms {length,10:N0}   query alone: median {At(queryTimes, 0.5):F2}ms, p95 {At(queryTimes, 0.95):F2}ms");
    }

    /// <summary>HTML rendering outside a circuit, with MudBlazor's services; its components call no JavaScript when rendered to HTML.</summary>
    internal static HtmlRenderer NewRenderer()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMudServices();
        services.AddSingleton<IJSRuntime, NoJavaScript>();
        var provider = services.BuildServiceProvider();
        return new HtmlRenderer(provider, provider.GetRequiredService<ILoggerFactory>());
    }

    private sealed class NoJavaScript : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => ValueTask.FromResult(default(TValue)!);
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => ValueTask.FromResult(default(TValue)!);
    }

    private static async Task<(int[] Practitioners, int[] Clients, int Type)> SeedBasicsAsync(BenchmarkHost host)
    {
        await using var db = await host.Scoped<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var practitioners = Enumerable.Range(1, Practitioners).Select(i => new Practitioner { DisplayName = $"Dr. Bench {i}", Colour = "#2E7D32" }).ToList();
        var clients = Enumerable.Range(1, Clients).Select(i => new Client
        {
            FirstName = $"Client{i}", LastName = "Bench", DateOfBirth = new DateOnly(1980, 1, 1).AddDays(i), CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
        }).ToList();
        var type = new AppointmentType { Name = "Bench visit" };
        db.AddRange(practitioners);
        db.AddRange(clients);
        db.Add(type);
        await db.SaveChangesAsync();
        return (practitioners.Select(p => p.Id).ToArray(), clients.Select(c => c.Id).ToArray(), type.Id);
    }

    /// <summary>Each practitioner fully booked those days: 16 half-hour visits from 08:00, no overlaps.</summary>
    private static async Task<int> SeedDaysAsync(BenchmarkHost host, List<DateOnly> days, int[] practitioners, int[] clients, int typeId, TimeZoneInfo zone)
    {
        await using var db = await host.Scoped<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var n = 0;
        foreach (var day in days)
            foreach (var practitioner in practitioners)
                for (var slot = 0; slot < PerDay; slot++)
                {
                    var start = ((ClinicTime.Conversion.Ok)ClinicTime.ToUtc(day.ToDateTime(new TimeOnly(8, 0)).AddMinutes(30 * slot), zone)).Utc;
                    db.Appointments.Add(new Appointment
                    {
                        ClientId = clients[(n + day.DayNumber) % clients.Length], PractitionerId = practitioner, AppointmentTypeId = typeId,
                        StartUtc = start, EndUtc = start.AddMinutes(30), Location = "Room 1", Status = AppointmentStatus.Booked,
                        CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
                    });
                    n++;
                }
        await db.SaveChangesAsync();
        return n;
    }
}
