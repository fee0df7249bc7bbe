using PortalApp.Data;

namespace PortalApp.Email;

public sealed record OutboxEmailChanged(long OutboxEmailId, int? ClientId, OutboxStatus Status);

/// <summary>
/// Tells open pages that an email's delivery state changed (sent, failed, retrying), so staff see it without reloading.
/// Subscribers are Blazor components: they must unsubscribe when disposed and re-enter their circuit with InvokeAsync.
/// </summary>
public sealed class OutboxEvents
{
    public event Action<OutboxEmailChanged>? Changed;

    public void Publish(OutboxEmailChanged change) => Changed?.Invoke(change);
}
