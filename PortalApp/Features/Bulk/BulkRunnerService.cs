using Microsoft.Extensions.Options;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Bulk;

/// <summary>Runs <see cref="BulkRunner"/> rounds: at once while a full batch goes, then every poll interval (the throttle's tick).</summary>
public sealed class BulkRunnerService(IServiceScopeFactory scopes, BulkSignal signal, IOptions<BulkOptions> options, ILogger<BulkRunnerService> logger)
    : PollingWorker(logger)
{
    protected override string WorkName => "Bulk send";
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);

    protected override async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BulkRunner>().RunOnceAsync(ct);
    }

    protected override Task WaitAsync(TimeSpan interval, CancellationToken ct) => signal.WaitAsync(interval, ct);
}

/// <summary>Wakes the bulk runner when a send is resumed or started now, instead of at the next poll.</summary>
public sealed class BulkSignal : Email.OutboxSignal;
