namespace PortalApp.Infrastructure;

/// <summary>
/// The background loop every dispatcher shares: run rounds while they find work, then wait for a signal or the
/// interval. A round that fails (disk full, database locked or unreachable) is logged by its error type only and tried
/// again an interval later; the service itself never stops until the app does.
/// </summary>
public abstract class PollingWorker(ILogger logger) : BackgroundService
{
    /// <summary>What the log calls this work when a round fails, e.g. "Outbox dispatch".</summary>
    protected abstract string WorkName { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>Waits one interval before the first round too (start-up work is done by then).</summary>
    protected virtual bool WaitsBeforeFirstRound => false;

    /// <summary>One round. True when more may be waiting: the next round starts at once.</summary>
    protected abstract Task<bool> RunRoundAsync(CancellationToken ct);

    /// <summary>Between rounds: the interval, or less when a signal says new work arrived.</summary>
    protected virtual Task WaitAsync(TimeSpan interval, CancellationToken ct) => Task.Delay(interval, ct);

    /// <summary>Before each round (a heartbeat, say).</summary>
    protected virtual void BeforeRound() { }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval;
        if (WaitsBeforeFirstRound)
            await Pause(interval, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            BeforeRound();
            try
            {
                while (await RunRoundAsync(stoppingToken))
                {
                }
                await WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError("{Work} failed ({ErrorType})", WorkName, ex.GetType().Name);
                await Pause(interval, stoppingToken);
            }
        }
    }

    private static Task Pause(TimeSpan interval, CancellationToken ct) =>
        Task.Delay(interval, ct).ContinueWith(_ => { }, TaskScheduler.Default);
}
