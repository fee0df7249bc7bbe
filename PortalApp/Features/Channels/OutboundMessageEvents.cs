using PortalApp.Data;

namespace PortalApp.Features.Channels;

public sealed record OutboundMessageChanged(long MessageId, int? ClientId, MessageChannel Channel, OutboundMessageStatus Status);

/// <summary>
/// Tells open pages (the Messages log, a client's reminders) that a message's delivery state changed: sent, failed,
/// delivered, uncertain, replied. In this instance only; a page on another instance sees it on its next refresh.
/// Subscribers are Blazor components: they unsubscribe when disposed and re-enter their circuit with InvokeAsync.
/// </summary>
public sealed class OutboundMessageEvents
{
    public event Action<OutboundMessageChanged>? Changed;

    public void Publish(OutboundMessage row) => Publish(new OutboundMessageChanged(row.Id, row.ClientId, row.Channel, row.Status));

    public void Publish(OutboundMessageChanged change) => Changed?.Invoke(change);
}
