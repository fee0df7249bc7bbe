using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Components.Account;
using PortalApp.Data;

namespace PortalApp.Benchmarks;

/// <summary>
/// Issue 9's figure: does a failed staff sign-in for a real account take the same time as one for an unknown email?
/// Each email is tried once (so neither the lockout nor the per-email throttle joins in), the two kinds interleaved so
/// the machine's noise falls on both alike; medians and their ratio, and the same for a locked and a disabled account.
/// </summary>
public static class SignInTiming
{
    private const string Password = "lantern orbit meadow cobalt";

    public static async Task RunAsync(int perKind = 300)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var real = await AccountsAsync(host, "real", perKind, _ => { });
        var locked = await AccountsAsync(host, "locked", perKind, u => u.LockoutEnd = DateTimeOffset.UtcNow.AddDays(1));
        var disabled = await AccountsAsync(host, "disabled", perKind, u => u.DisabledAtUtc = DateTime.UtcNow);
        var unknown = Enumerable.Range(0, perKind).Select(i => $"nobody{i}@clinic.example").ToList();

        var times = new Dictionary<string, List<double>> { ["real, wrong password"] = [], ["unknown email"] = [], ["locked"] = [], ["disabled"] = [] };
        for (var i = 0; i < 20; i++)
            await TryAsync(host, $"warmup{i}@clinic.example"); // JIT, connection pool, zxcvbn dictionaries
        for (var i = 0; i < perKind; i++)
        {
            times["real, wrong password"].Add(await TryAsync(host, real[i]));
            times["unknown email"].Add(await TryAsync(host, unknown[i]));
            times["locked"].Add(await TryAsync(host, locked[i]));
            times["disabled"].Add(await TryAsync(host, disabled[i]));
        }

        var baseline = Median(times["real, wrong password"]);
        Console.WriteLine($"Failed staff sign-in, {perKind} tries each, interleaved (median ms, ratio to a real account's wrong password):");
        foreach (var (kind, values) in times)
            Console.WriteLine($"  {kind,-22} median {Median(values),6:F1} ms   p90 {Percentile(values, 0.9),6:F1} ms   ratio {Median(values) / baseline:F2}");
    }

    private static async Task<double> TryAsync(BenchmarkHost host, string email)
    {
        using var scope = host.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var service = scope.ServiceProvider.GetRequiredService<StaffSignInService>();
        var watch = Stopwatch.StartNew();
        var result = await service.SignInAsync(context, email, "not the password");
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (result is not StaffSignInResult.Failed)
            throw new InvalidOperationException($"Expected a failure for {email}, got {result}");
        return elapsed;
    }

    private static async Task<List<string>> AccountsAsync(BenchmarkHost host, string kind, int count, Action<PortalUser> shape)
    {
        using var scope = host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var hash = users.PasswordHasher.HashPassword(new PortalUser(), Password); // one hash for all: creating is not what is measured
        var role = await scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>().FindByNameAsync(StaffRoles.FrontDesk);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var emails = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var email = $"{kind}{i}@clinic.example";
            var user = new PortalUser
            {
                UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                DisplayName = $"Staff {kind} {i}", PasswordHash = hash, SecurityStamp = Guid.NewGuid().ToString(), LockoutEnabled = true,
            };
            shape(user);
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role!.Id });
            emails.Add(email);
        }
        await db.SaveChangesAsync();
        return emails;
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}
