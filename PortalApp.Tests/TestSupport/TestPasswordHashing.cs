using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// Test hosts hash new passwords with 1,000 PBKDF2 rounds instead of Identity's 100,000: a hash took 0.1–0.17 s of a
/// core, and the suite makes and checks hundreds. Each stored hash records its own count, so verifying, rehashing and
/// every rule around passwords behave as in production; only the cost differs. The app itself keeps Identity's default,
/// and the app-process tests and the sign-in benchmarks run with it.
/// </summary>
public static class TestPasswordHashing
{
    public const int IterationCount = 1_000;

    public static IServiceCollection UseCheapPasswordHashing(this IServiceCollection services) =>
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = IterationCount);
}
