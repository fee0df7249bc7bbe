using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.Bulk.Sends;

/// <summary>
/// The one home for reading bulk sends: the list, a send with its counts (one GROUP BY), and the report's pages. Every
/// read is bounded (a page at a time; a send can have 20,000 recipients) and refused to staff who may not send.
/// </summary>
public sealed class BulkSendQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxPageSize = 100;

    public async Task<BulkSendList?> ListAsync(StaffActor actor, int page, int pageSize, CancellationToken ct = default)
    {
        if (!BulkSendService.MaySend(actor))
            return null;
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var total = await db.BulkSends.CountAsync(ct);
        var rows = await db.BulkSends.AsNoTracking().OrderByDescending(b => b.CreatedAtUtc).ThenByDescending(b => b.Id)
            .Skip(Math.Max(page, 0) * pageSize).Take(pageSize)
            .Select(b => new { b.Id, b.Title, b.Channel, b.Purpose, b.AudienceDescription, b.State, b.StartsAtUtc, b.ScheduledForUtc, b.RecipientCount, b.CreatedByName, b.CreatedAtUtc })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var waiting = await db.BulkRecipients.Where(r => ids.Contains(r.BulkSendId) && r.Status == BulkRecipientStatus.Pending)
            .GroupBy(r => r.BulkSendId).Select(g => new { Id = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Id, g => g.Count, ct);
        return new BulkSendList([.. rows.Select(b => new BulkSendSummary(b.Id, b.Title, b.Channel, b.Purpose, b.AudienceDescription, b.State,
            b.StartsAtUtc, b.ScheduledForUtc, b.RecipientCount, b.RecipientCount - waiting.GetValueOrDefault(b.Id), b.CreatedByName, b.CreatedAtUtc))], total);
    }

    public async Task<BulkSendDetail?> GetAsync(long bulkSendId, StaffActor actor, CancellationToken ct = default)
    {
        if (!BulkSendService.MaySend(actor))
            return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var send = await db.BulkSends.AsNoTracking().SingleOrDefaultAsync(b => b.Id == bulkSendId, ct);
        if (send is null)
            return null;
        var counts = await CountAsync(db, bulkSendId, ct);
        var summary = new BulkSendSummary(send.Id, send.Title, send.Channel, send.Purpose, send.AudienceDescription, send.State, send.StartsAtUtc,
            send.ScheduledForUtc, send.RecipientCount, send.RecipientCount - counts.Waiting, send.CreatedByName, send.CreatedAtUtc);
        return new BulkSendDetail(summary, send.Subject, send.Body, send.ExcludedCount, send.StartedAtUtc, send.FinishedAtUtc,
            send.CancelledAtUtc, send.CancelledByName, send.PausedByName, counts);
    }

    public async Task<BulkReportPage?> ReportAsync(long bulkSendId, BulkOutcome? outcome, int page, int pageSize, StaffActor actor, CancellationToken ct = default)
    {
        if (!BulkSendService.MaySend(actor))
            return null;
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Recipients(db, bulkSendId, outcome);
        var total = await query.CountAsync(ct);
        var rows = await Project(query.OrderBy(r => r.Position).Skip(Math.Max(page, 0) * pageSize).Take(pageSize)).ToListAsync(ct);
        return new BulkReportPage([.. rows.Select(ToRow)], total);
    }

    /// <summary>Every recipient of a send in the report's order, streamed: for the CSV download.</summary>
    internal static IAsyncEnumerable<BulkReportRow> AllRows(PortalDbContext db, long bulkSendId, CancellationToken ct) =>
        Project(Recipients(db, bulkSendId, null).OrderBy(r => r.Position)).AsAsyncEnumerable().Select(ToRow);

    private static IQueryable<BulkRecipient> Recipients(PortalDbContext db, long bulkSendId, BulkOutcome? outcome)
    {
        var query = db.BulkRecipients.AsNoTracking().Where(r => r.BulkSendId == bulkSendId);
        return outcome is { } wanted ? query.Where(BulkOutcomes.Is(wanted)) : query;
    }

    private sealed record RawRow(long Id, string Name, string? Address, BulkRecipientStatus Status, OutboundMessageStatus? Message,
        string? Reason, string? MessageDetail, DateTime? ProcessedAtUtc, DateTime? UnsubscribedAtUtc);

    private static IQueryable<RawRow> Project(IQueryable<BulkRecipient> query) =>
        query.Select(r => new RawRow(r.Id, r.Name, r.Address, r.Status, r.OutboundMessage == null ? null : r.OutboundMessage.Status,
            r.Reason, r.OutboundMessage == null ? null : r.OutboundMessage.StatusDetail, r.ProcessedAtUtc, r.UnsubscribedAtUtc));

    private static BulkReportRow ToRow(RawRow r)
    {
        var outcome = BulkOutcomes.Of(r.Status, r.Message);
        return new BulkReportRow(r.Id, r.Name, r.Address, outcome, BulkOutcomes.Reason(outcome, r.Reason, r.MessageDetail), r.ProcessedAtUtc, r.UnsubscribedAtUtc);
    }

    private static async Task<BulkCounts> CountAsync(PortalDbContext db, long bulkSendId, CancellationToken ct)
    {
        var groups = await db.BulkRecipients.Where(r => r.BulkSendId == bulkSendId)
            .GroupBy(r => new { r.Status, Message = r.OutboundMessage == null ? (OutboundMessageStatus?)null : r.OutboundMessage.Status, Unsubscribed = r.UnsubscribedAtUtc != null })
            .Select(g => new { g.Key.Status, g.Key.Message, g.Key.Unsubscribed, Count = g.Count() })
            .ToListAsync(ct);
        var byOutcome = groups.GroupBy(g => BulkOutcomes.Of(g.Status, g.Message)).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        int Count(BulkOutcome outcome) => byOutcome.GetValueOrDefault(outcome);
        return new BulkCounts(Count(BulkOutcome.Waiting), Count(BulkOutcome.Sent), Count(BulkOutcome.Delivered), Count(BulkOutcome.Skipped),
            Count(BulkOutcome.Failed), Count(BulkOutcome.Cancelled), groups.Where(g => g.Unsubscribed).Sum(g => g.Count));
    }
}
