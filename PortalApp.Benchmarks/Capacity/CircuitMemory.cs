using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PortalApp.Data;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// Issue 11's first figure: the server's managed heap per staff circuit on a client card, after a full GC, from N real
/// Blazor circuits opened by Chromium tabs against the same N on the lightest staff page there is (Appointment types:
/// the staff layout and a table of six rows; an access-denied page would be emptier, but it is static, with no
/// circuit). Signed in as the demo admin, who may open both. The server runs in this process, so
/// the GC is forced and read here. Each state is measured against the same N tabs on a static page (no circuit) just
/// before it, so the tabs' own bookkeeping in Playwright cancels out.
/// </summary>
public static class CircuitMemory
{
    private const string StaticPage = "/not-found", LightestPage = "/admin/appointment-types";

    public static async Task RunAsync(int tabs = 20, int rounds = 3)
    {
        Samples.Header($"circuit-memory: {tabs} circuits per state, {rounds} rounds");
        await using var server = CapacityServer.Start();
        await using var chromium = await Chromium.LaunchAsync();
        var context = await chromium.NewContextAsync(server.BaseUrl);
        await Chromium.SignInStaffAsync(context, "/clients", "admin@demo.clinic");
        var clientId = await CardWithAppointmentsAsync(server);
        var baseline = server.OpenCircuits;

        var (empty, card) = (new List<double>(), new List<double>());
        for (var round = 1; round <= rounds; round++)
        {
            var first = await OpenAsync(context, tabs, StaticPage);
            var before = HeapAfterFullGc();
            await NavigateAsync(first, LightestPage, page => page.GetByRole(AriaRole.Cell, new() { Name = "Vaccination", Exact = true }).WaitForAsync());
            await server.WaitForCircuitsAsync(baseline + tabs, TimeSpan.FromSeconds(60));
            empty.Add((HeapAfterFullGc() - before) / (double)tabs);

            var second = await OpenAsync(context, tabs, StaticPage);
            before = HeapAfterFullGc();
            await GcDumpAsync(round == rounds, "before-cards");
            await NavigateAsync(second, $"/clients/{clientId}", page => page.GetByRole(AriaRole.Tab, new() { Name = "Patient messaging" }).WaitForAsync());
            await server.WaitForCircuitsAsync(baseline + 2 * tabs, TimeSpan.FromSeconds(60));
            card.Add((HeapAfterFullGc() - before) / (double)tabs);
            await GcDumpAsync(round == rounds, "after-cards");
            Console.WriteLine($"round {round}: lightest page {Kb(empty[^1])} per circuit, client card {Kb(card[^1])} per circuit");

            foreach (var page in first.Concat(second))
            {
                // Leaving the page sends Blazor's disconnect beacon: the circuit ends now.
                await page.GotoAsync(StaticPage, new() { WaitUntil = WaitUntilState.Commit, Timeout = 120_000 });
                await page.CloseAsync();
            }
            await server.WaitForCircuitsAsync(baseline, TimeSpan.FromSeconds(120));
        }
        var (e, c) = (Samples.Median(empty), Samples.Median(card));
        Console.WriteLine($"median: lightest page {Kb(e)} per circuit, client card {Kb(c)} per circuit, ratio card/lightest {c / e:F2}; card's own share {Kb(c - e)}");
        Console.WriteLine($"target <= 500 KB per client-card circuit: {(c <= 500 * 1024 ? "met" : "MISSED")}; GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
    }

    /// <summary>
    /// With CAPACITY_GCDUMP set to a folder (and dotnet-gcdump on PATH), the last round writes a heap dump of this
    /// process before and after its client cards open: compare them with <c>dotnet-gcdump report</c> to see what holds
    /// a circuit's memory.
    /// </summary>
    private static async Task GcDumpAsync(bool lastRound, string name)
    {
        if (!lastRound || Environment.GetEnvironmentVariable("CAPACITY_GCDUMP") is not { Length: > 0 } folder)
            return;
        Directory.CreateDirectory(folder);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet-gcdump") { RedirectStandardOutput = true };
        foreach (var arg in new[] { "collect", "-p", Environment.ProcessId.ToString(), "-o", Path.Combine(folder, $"{name}.gcdump") })
            start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Console.WriteLine($"gcdump {name}: exit {process.ExitCode}, {Path.Combine(folder, name + ".gcdump")}");
    }

    private static string Kb(double bytes) => $"{bytes / 1024:N0} KB";

    /// <summary>Live managed objects only: three forced, blocking, compacting collections with finalizers run between.</summary>
    private static long HeapAfterFullGc()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static async Task<List<IPage>> OpenAsync(IBrowserContext context, int count, string path)
    {
        var pages = new List<IPage>();
        for (var i = 0; i < count; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(path);
            pages.Add(page);
        }
        return pages;
    }

    private static async Task NavigateAsync(List<IPage> pages, string path, Func<IPage, Task> ready)
    {
        // A few at a time: the browser and the server share two cores.
        foreach (var group in pages.Chunk(4))
            await Task.WhenAll(group.Select(async page =>
            {
                await page.GotoAsync(path);
                await Chromium.WaitForInteractiveAsync(page);
                await ready(page);
            }));
    }

    private static async Task<int> CardWithAppointmentsAsync(CapacityServer server)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Clients.Where(c => c.Email != null && c.EndDate == null && c.Appointments.Any()).OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
    }
}
