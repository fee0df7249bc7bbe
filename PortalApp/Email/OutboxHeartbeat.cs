using Microsoft.Extensions.Options;

namespace PortalApp.Email;

/// <summary>
/// When the dispatcher last showed it was alive. A dispatcher loop that died leaves emails waiting without a word;
/// /healthz reads this to say so.
/// </summary>
public sealed class OutboxHeartbeat(TimeProvider time, IOptions<OutboxOptions> outbox, IOptions<EmailOptions> email)
{
    // Counted from start-up, so a dispatcher that never starts goes stale too.
    private long _lastBeatTicks = time.GetUtcNow().UtcTicks;

    public void Beat() => Interlocked.Exchange(ref _lastBeatTicks, time.GetUtcNow().UtcTicks);

    public TimeSpan SinceLastBeat => time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastBeatTicks), TimeSpan.Zero);

    /// <summary>
    /// The loop beats at least once per poll and after every email; opening a connection and sending one email can
    /// each take up to the SMTP timeout. Three polls plus that is past any healthy pause.
    /// </summary>
    public TimeSpan StaleAfter => TimeSpan.FromSeconds(3 * outbox.Value.PollIntervalSeconds + 2 * email.Value.Smtp.TimeoutSeconds);

    public bool IsStale => SinceLastBeat > StaleAfter;
}
