using PortalApp.Data;

namespace PortalApp.Email;

public sealed record OutboxEmailChanged(long OutboxEmailId, int? ClientId, OutboxStatus Status);

/// <summary>
/// Tells open pages that an email's delivery state changed (sent, failed, retrying), so staff see it without reloading.
/// Subscribers are Blazor components: they must unsubscribe when disposed and re-enter their circuit with InvokeAsync.
/// On PostgreSQL the change also goes to the other instances, whose relay raises it there: an email sent by one
/// instance updates a tab open on another.
/// </summary>
public sealed class OutboxEvents(Infrastructure.InstanceNotifications? otherInstances = null)
{
    public event Action<OutboxEmailChanged>? Changed;

    public void Publish(OutboxEmailChanged change)
    {
        Changed?.Invoke(change);
        otherInstances?.EmailChanged(change);
    }

    internal void RaiseFromOtherInstance(OutboxEmailChanged change) => Changed?.Invoke(change);
}
