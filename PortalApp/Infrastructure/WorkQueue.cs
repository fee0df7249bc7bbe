using System.Threading.Channels;

namespace PortalApp.Infrastructure;

/// <summary>
/// Work a request must not do itself, so its answer takes the same time whatever the work finds: a password-reset
/// request for an address with or without an account answers at once, and the email (if any) is made here. Bounded:
/// a flood fills the queue and further requests are dropped (and logged), never memory.
/// </summary>
public sealed class WorkQueue(ILogger<WorkQueue> logger)
{
    public const int Capacity = 1_000;

    private readonly Channel<(string Name, Func<IServiceProvider, CancellationToken, Task> Work)> _channel =
        Channel.CreateBounded<(string, Func<IServiceProvider, CancellationToken, Task>)>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Enqueue(string name, Func<IServiceProvider, CancellationToken, Task> work)
    {
        if (!_channel.Writer.TryWrite((name, work)))
            logger.LogWarning("Background work {Work} dropped: the queue is full", name);
    }

    internal IAsyncEnumerable<(string Name, Func<IServiceProvider, CancellationToken, Task> Work)> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}

/// <summary>Runs queued work one item at a time, each in a scope of its own; a failing item is logged and the next runs.</summary>
public sealed class WorkQueueService(WorkQueue queue, IServiceScopeFactory scopes, ILogger<WorkQueueService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (name, work) in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await work(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Background work {Work} failed", name);
            }
        }
    }
}
