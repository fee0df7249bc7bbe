using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Invites;
using PortalApp.Features.Portal;
using PortalApp.Features.Registration;
using PortalApp.Features.Templates;

namespace PortalApp.Benchmarks;

/// <summary>
/// Issue 4's figures: sign-in and registration throughput on this machine against the password-hash limit measured
/// in the same run (Identity's PBKDF2 verify on every core), and the p95 of an uncontended sign-in.
/// Real services, real SQLite file; the cookie is issued into a request context of its own.
/// </summary>
public static class AuthLoad
{
    private const string Password = "lantern orbit meadow cobalt";

    public static async Task RunAsync(int accounts = 300)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var threads = Environment.ProcessorCount;
        Console.WriteLine($"Cores: {threads}; accounts: {accounts}");

        var tokens = await InviteAsync(host, accounts);
        // Clients in flight: the cores by default (AUTH_LOAD_CLIENTS to compare).
        var clients = int.TryParse(Environment.GetEnvironmentVariable("AUTH_LOAD_CLIENTS"), out var n) ? n : threads;
        Console.WriteLine($"Clients in flight: {clients}");

        // This machine's speed drifts by a quarter within a minute, so one window of each says little. Rounds interleave
        // a window of pure hashing (the limit), registrations and sign-ins; the ratio is of the medians.
        const int rounds = 6;
        var perRound = tokens.Count / rounds;
        var (limits, registrations, signIns) = (new List<double>(), new List<double>(), new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            limits.Add(HashLimit(host, threads, seconds: 2));
            var first = round * perRound;
            registrations.Add(await ThroughputAsync(clients, first, perRound, async i =>
            {
                using var scope = host.Services.CreateScope();
                var form = new RegistrationForm { DateOfBirth = "1984-03-07", Password = Password, ConfirmPassword = Password, AcceptTerms = true };
                var result = await scope.ServiceProvider.GetRequiredService<RegistrationService>().RegisterAsync(tokens[i], form);
                if (result is not RegistrationResult.Registered)
                    throw new InvalidOperationException($"Registration {i} failed: {result}");
            }));
            signIns.Add(await ThroughputAsync(clients, 0, (round + 1) * perRound, async i => await SignInAsync(host, i % ((round + 1) * perRound))));
        }
        var hashLimit = Median(limits);
        Console.WriteLine($"Password-hash limit (PBKDF2 verify, {threads} threads), per round: {string.Join(", ", limits.Select(l => l.ToString("F1")))}; median {hashLimit:F1}/s");
        Console.WriteLine($"Registration per round: {string.Join(", ", registrations.Select(l => l.ToString("F1")))}; median {Median(registrations):F1}/s = {Median(registrations) / hashLimit:P0} of the hash limit");
        Console.WriteLine($"Sign-in per round: {string.Join(", ", signIns.Select(l => l.ToString("F1")))}; median {Median(signIns):F1}/s = {Median(signIns) / hashLimit:P0} of the hash limit");

        var timings = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var watch = Stopwatch.StartNew();
            await SignInAsync(host, i % accounts);
            timings.Add(watch.Elapsed.TotalMilliseconds);
        }
        timings.Sort();
        Console.WriteLine($"Uncontended sign-in: p50 {timings[100]:F1} ms, p95 {timings[189]:F1} ms, max {timings[^1]:F1} ms");
    }

    private static async Task SignInAsync(BenchmarkHost host, int i)
    {
        using var scope = host.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var result = await scope.ServiceProvider.GetRequiredService<PatientAccessService>().SignInAsync(context, $"patient{i}@example.com", Password);
        if (result != PatientSignInResult.SignedIn)
            throw new InvalidOperationException($"Sign-in {i} failed: {result}");
    }

    public static double HashLimit(BenchmarkHost host, int threads, int seconds)
    {
        var hasher = host.Services.GetRequiredService<IPasswordHasher<PortalUser>>();
        var user = new PortalUser();
        var hash = hasher.HashPassword(user, Password);
        var count = 0;
        var stop = Stopwatch.StartNew();
        Parallel.For(0, threads, _ =>
        {
            while (stop.Elapsed.TotalSeconds < seconds)
            {
                hasher.VerifyHashedPassword(user, hash, Password);
                Interlocked.Increment(ref count);
            }
        });
        return count / stop.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>Operations per second: <paramref name="workers"/> in flight, each taking the next index until <paramref name="count"/> are done.</summary>
    public static async Task<double> ThroughputAsync(int workers, int first, int count, Func<int, Task> operation)
    {
        var next = first - 1;
        var total = first + count;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
                await operation(i);
        })));
        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<List<string>> InviteAsync(BenchmarkHost host, int accounts)
    {
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            db.Clients.AddRange(Enumerable.Range(0, accounts).Select(i => new Client
            {
                FirstName = "Pat", LastName = $"Ient{i}", DateOfBirth = new DateOnly(1984, 3, 7), Email = $"patient{i}@example.com",
                CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
            }));
            await db.SaveChangesAsync();
        }
        var tokens = new List<string>();
        using var scope = host.Services.CreateScope();
        var invites = scope.ServiceProvider.GetRequiredService<InviteService>();
        var template = (await scope.ServiceProvider.GetRequiredService<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault);
        var secrets = host.Services.GetRequiredService<OutboxSecrets>();
        await using var read = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        foreach (var client in await read.Clients.AsNoTracking().OrderBy(c => c.Id).ToListAsync())
        {
            await invites.SendAsync(client.Id, template.Id, BenchmarkHost.Staff, resend: false);
            var row = await read.OutboxEmails.AsNoTracking().Where(o => o.ClientId == client.Id).SingleAsync();
            tokens.Add(Regex.Match(secrets.Reveal(row).Text, "/register/([A-Za-z0-9_-]{43})").Groups[1].Value);
        }
        return tokens;
    }
}
