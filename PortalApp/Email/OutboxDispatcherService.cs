using Microsoft.Extensions.Options;

namespace PortalApp.Email;

/// <summary>Runs the dispatcher in the background: on every new email, and on a timer for retries.</summary>
public sealed class OutboxDispatcherService(
    OutboxDispatcher dispatcher,
    OutboxSignal signal,
    OutboxHeartbeat heartbeat,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeat.Beat();
            try
            {
                int attempted;
                do attempted = await dispatcher.DispatchDueAsync(stoppingToken);
                while (attempted > 0); // each round sends, fails or reschedules what it claimed: it ends when nothing is due
                await signal.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database itself failed (disk full, locked): keep the service alive and try again later.
                logger.LogError("Outbox dispatch failed ({ErrorType})", ex.GetType().Name);
                await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
