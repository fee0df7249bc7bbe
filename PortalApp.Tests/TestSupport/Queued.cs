using Microsoft.Extensions.DependencyInjection;
using PortalApp.Infrastructure;

namespace PortalApp.Tests.TestSupport;

/// <summary>The app's background work queue, as a test waits on it.</summary>
public static class Queued
{
    /// <summary>Everything queued so far has run: the queue is one worker in order, so a marker behind it proves it.</summary>
    public static async Task DrainAsync(IServiceProvider services)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        services.GetRequiredService<WorkQueue>().Enqueue("test marker", (_, _) =>
        {
            done.SetResult();
            return Task.CompletedTask;
        });
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Holds the worker until the returned gate is opened: what is queued meanwhile waits behind it.</summary>
    public static async Task<TaskCompletionSource> HoldAsync(IServiceProvider services)
    {
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        services.GetRequiredService<WorkQueue>().Enqueue("test hold", async (_, _) =>
        {
            holding.SetResult();
            await gate.Task;
        });
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return gate;
    }
}
