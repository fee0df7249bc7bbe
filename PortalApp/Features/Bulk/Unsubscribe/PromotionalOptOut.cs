using PortalApp.Data;

namespace PortalApp.Features.Bulk.Unsubscribe;

/// <summary>
/// The one rule for recording that a client wants no more promotional messages, however they said so (a link, the
/// email app's one-click, the front desk). The bulk audience reads <see cref="Client.PromotionalOptOutAtUtc"/>, so it
/// is honoured from the moment it is saved.
/// </summary>
public static class PromotionalOptOut
{
    /// <summary>Sets the opt-out the first time only: a later unsubscribe keeps when and how the first came. False: nothing changed.</summary>
    public static bool Record(Client client, DateTime nowUtc, string via)
    {
        if (client.PromotionalOptOutAtUtc is not null)
            return false;
        client.PromotionalOptOutAtUtc = nowUtc;
        client.PromotionalOptOutVia = via.Length > 200 ? via[..200] : via;
        client.UpdatedAtUtc = nowUtc;
        return true;
    }
}
