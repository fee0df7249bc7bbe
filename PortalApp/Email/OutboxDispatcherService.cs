using Microsoft.Extensions.Options;
using PortalApp.Infrastructure;

namespace PortalApp.Email;

/// <summary>Runs the dispatcher in the background: on every new email, and on a timer for retries.</summary>
public sealed class OutboxDispatcherService(
    OutboxDispatcher dispatcher,
    OutboxSignal signal,
    OutboxHeartbeat heartbeat,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcherService> logger) : PollingWorker(logger)
{
    protected override string WorkName => "Outbox dispatch";
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);

    protected override void BeforeRound() => heartbeat.Beat();

    // Each round sends, fails or reschedules what it claimed: rounds end when nothing is due.
    protected override async Task<bool> RunRoundAsync(CancellationToken ct) => await dispatcher.DispatchDueAsync(ct) > 0;

    protected override Task WaitAsync(TimeSpan interval, CancellationToken ct) => signal.WaitAsync(interval, ct);
}
