namespace PortalApp.Email;

/// <summary>Wakes the dispatcher as soon as an email is committed, instead of waiting for its next poll.</summary>
public class OutboxSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Notify()
    {
        // At most one pending wake-up is needed: the dispatcher drains everything due when it runs.
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); }
            catch (SemaphoreFullException) { }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);
}
