using System.Linq.Expressions;
using PortalApp.Data;

namespace PortalApp.Features.Bulk.Sends;

/// <summary>What became of one recipient, in the report's words. <see cref="Unsubscribed"/> is only a filter: it comes on top of the outcome.</summary>
public enum BulkOutcome
{
    Waiting,
    Sent,
    Delivered,
    Skipped,
    Failed,
    Cancelled,
    Unsubscribed,
}

/// <summary>
/// One home for "what became of this recipient": the recipient's own status, and for a message handed to the outbound
/// seam, that message's status (delivered, or failed later). The summary counts, the report's rows, its filter and the
/// CSV all read it from here, so they cannot disagree.
/// </summary>
public static class BulkOutcomes
{
    public static BulkOutcome Of(BulkRecipientStatus status, OutboundMessageStatus? message) => status switch
    {
        BulkRecipientStatus.Pending => BulkOutcome.Waiting,
        BulkRecipientStatus.Skipped => BulkOutcome.Skipped,
        BulkRecipientStatus.Failed => BulkOutcome.Failed,
        BulkRecipientStatus.Cancelled => BulkOutcome.Cancelled,
        _ => message switch
        {
            OutboundMessageStatus.Delivered or OutboundMessageStatus.Replied => BulkOutcome.Delivered,
            OutboundMessageStatus.Failed => BulkOutcome.Failed,
            OutboundMessageStatus.Withdrawn => BulkOutcome.Cancelled,
            _ => BulkOutcome.Sent,
        },
    };

    /// <summary>The same rule as <see cref="Of"/>, as a query the database runs (the report pages 20,000 rows there).</summary>
    public static Expression<Func<BulkRecipient, bool>> Is(BulkOutcome outcome) => outcome switch
    {
        BulkOutcome.Waiting => r => r.Status == BulkRecipientStatus.Pending,
        BulkOutcome.Skipped => r => r.Status == BulkRecipientStatus.Skipped,
        BulkOutcome.Failed => r => r.Status == BulkRecipientStatus.Failed
            || (r.Status == BulkRecipientStatus.Sent && r.OutboundMessage != null && r.OutboundMessage.Status == OutboundMessageStatus.Failed),
        BulkOutcome.Cancelled => r => r.Status == BulkRecipientStatus.Cancelled
            || (r.Status == BulkRecipientStatus.Sent && r.OutboundMessage != null && r.OutboundMessage.Status == OutboundMessageStatus.Withdrawn),
        BulkOutcome.Delivered => r => r.Status == BulkRecipientStatus.Sent && r.OutboundMessage != null
            && (r.OutboundMessage.Status == OutboundMessageStatus.Delivered || r.OutboundMessage.Status == OutboundMessageStatus.Replied),
        BulkOutcome.Sent => r => r.Status == BulkRecipientStatus.Sent && (r.OutboundMessage == null
            || (r.OutboundMessage.Status != OutboundMessageStatus.Delivered && r.OutboundMessage.Status != OutboundMessageStatus.Replied
                && r.OutboundMessage.Status != OutboundMessageStatus.Failed && r.OutboundMessage.Status != OutboundMessageStatus.Withdrawn)),
        _ => r => r.UnsubscribedAtUtc != null,
    };

    public static string Label(BulkOutcome outcome) => outcome switch
    {
        BulkOutcome.Waiting => "Not reached yet",
        _ => outcome.ToString(),
    };

    /// <summary>Why: the reason the recipient was left out or could not be prepared, or why the provider refused the message.</summary>
    public static string? Reason(BulkOutcome outcome, string? recipientReason, string? messageDetail) => outcome switch
    {
        BulkOutcome.Skipped => recipientReason,
        BulkOutcome.Failed => recipientReason ?? messageDetail,
        _ => null,
    };
}
