using PortalApp.Data;

namespace PortalApp.Features.Channels;

public sealed record OutboundMessageChanged(long MessageId, int? ClientId, MessageChannel Channel, OutboundMessageStatus Status);

/// <summary>
/// Tells open pages (the Messages log, a client's reminders) that a message's delivery state changed: sent, failed,
/// delivered, uncertain, replied. Subscribers are Blazor components: they unsubscribe when disposed and re-enter their
/// circuit with InvokeAsync. On PostgreSQL the change also goes to the other instances, whose relay raises it there: a
/// text sent, or a delivery report received, by one instance updates a Messages log open on another.
/// </summary>
public sealed class OutboundMessageEvents(Infrastructure.InstanceNotifications? otherInstances = null)
{
    public event Action<OutboundMessageChanged>? Changed;

    public void Publish(OutboundMessage row) => Publish(new OutboundMessageChanged(row.Id, row.ClientId, row.Channel, row.Status));

    public void Publish(OutboundMessageChanged change)
    {
        Changed?.Invoke(change);
        otherInstances?.OutboundMessageChanged(change);
    }

    internal void RaiseFromOtherInstance(OutboundMessageChanged change) => Changed?.Invoke(change);
}
