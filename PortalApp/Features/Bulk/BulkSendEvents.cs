namespace PortalApp.Features.Bulk;

/// <summary>
/// Tells open pages that a bulk send moved on, so its progress bar follows without a reload, in every staff tab. On
/// PostgreSQL the news also goes to the other instances (only the send's id: nothing about any patient).
/// </summary>
public sealed class BulkSendEvents(Infrastructure.InstanceNotifications? otherInstances = null)
{
    public event Action<long>? Changed;

    public void Publish(long bulkSendId)
    {
        Changed?.Invoke(bulkSendId);
        otherInstances?.BulkSendChanged(bulkSendId);
    }

    internal void RaiseFromOtherInstance(long bulkSendId) => Changed?.Invoke(bulkSendId);
}
