using Microsoft.Extensions.Options;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Channels;

/// <summary>Runs the text and voice dispatcher in the background: on every new message, and on a timer for retries.</summary>
public sealed class TextDispatcherService(
    TextDispatcher dispatcher, TextOutboxSignal signal, IOptions<MessagingOptions> options, ILogger<TextDispatcherService> logger) : PollingWorker(logger)
{
    protected override string WorkName => "Text dispatch";
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);

    // Each round ends, fails or reschedules what it claimed (or defers the rest when the provider is down).
    protected override async Task<bool> RunRoundAsync(CancellationToken ct) => await dispatcher.RunOnceAsync(ct) > 0;

    protected override Task WaitAsync(TimeSpan interval, CancellationToken ct) => signal.WaitAsync(interval, ct);
}
