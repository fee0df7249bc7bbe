using Microsoft.Extensions.Caching.Memory;

namespace PortalApp.Security;

/// <summary>
/// Sign-in attempts per typed email address, whether or not it has an account (a throttle only on real accounts would
/// itself tell which addresses are real). Fixed windows on the app's clock. The table is bounded: a spray of made-up
/// addresses evicts old entries instead of growing memory; the account lockout still stands behind it.
/// Attempts per client address are the framework's rate limiter's job (RateLimits.StaffSignIn).
/// </summary>
public sealed class SignInThrottle(TimeProvider time) : IDisposable
{
    public const int AttemptsPerWindow = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const int MaxTrackedAddresses = 100_000;

    private readonly MemoryCache _counts = new(new MemoryCacheOptions { SizeLimit = MaxTrackedAddresses });

    /// <returns>null when the attempt may go ahead; else when the next one may.</returns>
    public DateTimeOffset? TryAcquire(string email)
    {
        var now = time.GetUtcNow();
        var window = now.UtcTicks / Window.Ticks;
        var key = $"{window}|{email.Trim().ToUpperInvariant()}";
        var counter = _counts.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = Window * 2;
            return new Counter();
        })!;
        return Interlocked.Increment(ref counter.Attempts) <= AttemptsPerWindow
            ? null
            : new DateTimeOffset((window + 1) * Window.Ticks, TimeSpan.Zero);
    }

    public void Dispose() => _counts.Dispose();

    private sealed class Counter
    {
        public int Attempts;
    }
}
