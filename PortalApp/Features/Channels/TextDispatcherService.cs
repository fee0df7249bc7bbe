using Microsoft.Extensions.Options;

namespace PortalApp.Features.Channels;

/// <summary>Runs the text and voice dispatcher in the background: on every new message, and on a timer for retries.</summary>
public sealed class TextDispatcherService(
    TextDispatcher dispatcher, TextOutboxSignal signal, IOptions<MessagingOptions> options, ILogger<TextDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Each round ends, fails or reschedules what it claimed (or defers the rest when the provider is down).
                while (await dispatcher.RunOnceAsync(stoppingToken) > 0)
                {
                }
                await signal.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database itself failed (disk full, locked): keep the service alive and try again later.
                logger.LogError("Text dispatch failed ({ErrorType})", ex.GetType().Name);
                await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
