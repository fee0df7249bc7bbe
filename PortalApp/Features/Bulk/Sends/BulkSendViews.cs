using PortalApp.Data;

namespace PortalApp.Features.Bulk.Sends;

/// <summary>One send in the list: enough to say where it stands in words.</summary>
public sealed record BulkSendSummary(
    long Id, string Title, BulkChannel Channel, BulkPurpose Purpose, string AudienceDescription, BulkSendState State,
    DateTime StartsAtUtc, DateTime? ScheduledForUtc, int RecipientCount, int Processed, string CreatedByName, DateTime CreatedAtUtc);

public sealed record BulkSendList(IReadOnlyList<BulkSendSummary> Items, int TotalCount);

/// <summary>How many recipients have each outcome. Unsubscribed ones are also counted under their outcome.</summary>
public sealed record BulkCounts(int Waiting, int Sent, int Delivered, int Skipped, int Failed, int Cancelled, int Unsubscribed)
{
    public int this[BulkOutcome outcome] => outcome switch
    {
        BulkOutcome.Waiting => Waiting,
        BulkOutcome.Sent => Sent,
        BulkOutcome.Delivered => Delivered,
        BulkOutcome.Skipped => Skipped,
        BulkOutcome.Failed => Failed,
        BulkOutcome.Cancelled => Cancelled,
        _ => Unsubscribed,
    };
}

/// <summary>A send as its page shows it: read from the database each time, so every tab and every instance agree.</summary>
public sealed record BulkSendDetail(
    BulkSendSummary Summary, string? Subject, string Body, int ExcludedCount, DateTime? StartedAtUtc, DateTime? FinishedAtUtc,
    DateTime? CancelledAtUtc, string? CancelledByName, string? PausedByName, BulkCounts Counts)
{
    public long Id => Summary.Id;
    public BulkSendState State => Summary.State;
}

public sealed record BulkReportRow(long Id, string Name, string? Address, BulkOutcome Outcome, string? Reason, DateTime? ProcessedAtUtc, DateTime? UnsubscribedAtUtc);

public sealed record BulkReportPage(IReadOnlyList<BulkReportRow> Items, int TotalCount);
