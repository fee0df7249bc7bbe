using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Replies;

public sealed record ReplyClient(int Id, string Name);

/// <param name="Text">What the patient sent, or for a reminder call the key they pressed, in words.</param>
public sealed record ReplyRow(long Id, DateTime ReceivedAtUtc, string From, string Text, IReadOnlyList<ReplyClient> Clients);

public sealed record RepliesList(IReadOnlyList<ReplyRow> Rows, int Total, int Page, int PageCount);

/// <summary>
/// The staff's Replies to review: every text the app did not understand (CANCEL, a question, a typo) and every key
/// whose action was refused, oldest first, with the client cards that have the number. Front desk and admins read and
/// mark them; each look is audited on each client shown.
/// </summary>
public sealed class ReplyReviewService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ViewAudit views, TimeProvider time)
{
    public const int PageSize = 25;
    public const string NotAllowed = "Only front desk staff and admins can read and mark patients' replies.";

    public static bool MayReview(StaffActor actor) => actor.IsAdmin || actor.Roles.Contains(StaffRoles.FrontDesk);

    private static IQueryable<InboundMessage> Waiting(PortalDbContext db) =>
        db.InboundMessages.Where(m => m.Outcome == InboundOutcome.NeedsReview && m.ReviewedAtUtc == null);

    /// <summary>For the menu's badge: counts no further than <paramref name="cap"/>.</summary>
    public async Task<int> CountAsync(int cap = 99, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Waiting(db).Take(cap + 1).CountAsync(ct);
    }

    /// <summary>A page of waiting replies; null for staff without the role.</summary>
    /// <param name="record">False for a page's second render of what it has already recorded.</param>
    public async Task<RepliesList?> ListAsync(int page, StaffActor viewer, bool record, CancellationToken ct = default)
    {
        if (!MayReview(viewer))
            return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var total = await Waiting(db).CountAsync(ct);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        var rows = await Waiting(db).AsNoTracking().OrderBy(m => m.ReceivedAtUtc).ThenBy(m => m.Id).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(m => new { m.Id, m.ReceivedAtUtc, m.Channel, m.FromNumber, m.Body, m.ClientId }).ToListAsync(ct);
        var numbers = rows.Select(r => r.FromNumber).Distinct().ToList();
        var matched = rows.Where(r => r.ClientId is not null).Select(r => r.ClientId!.Value).Distinct().ToList();
        var cards = await db.Clients.AsNoTracking().Where(c => matched.Contains(c.Id) || (c.MobilePhone != null && numbers.Contains(c.MobilePhone)))
            .OrderBy(c => c.LastName).ThenBy(c => c.FirstName)
            .Select(c => new { c.Id, c.MobilePhone, Name = c.FirstName + " " + c.LastName }).ToListAsync(ct);
        var region = await db.ClinicSettings.AsNoTracking().Select(s => s.PhoneRegion).FirstAsync(ct);
        var shown = rows.Select(r => new ReplyRow(r.Id, r.ReceivedAtUtc, PhoneNumberRules.Display(r.FromNumber, region), Words(r.Channel, r.Body),
            [.. cards.Where(c => c.Id == r.ClientId || c.MobilePhone == r.FromNumber).Select(c => new ReplyClient(c.Id, c.Name))])).ToList();
        if (record && cards.Count > 0)
            await views.RecordAsync(db, viewer, AuditActions.RepliesView, [.. cards.Select(c => c.Id)], $"Replies to review, page {page}", ct);
        return new RepliesList(shown, total, page, pages);
    }

    /// <summary>
    /// One conditional update: two people marking the same reply at once both see it done, and the audit log has it once.
    /// </summary>
    public async Task<Outcome> MarkReviewedAsync(long replyId, StaffActor actor, CancellationToken ct = default)
    {
        if (!MayReview(actor))
            return Outcome.Refuse(NotAllowed);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var clientId = await db.InboundMessages.Where(m => m.Id == replyId).Select(m => m.ClientId).FirstOrDefaultAsync(ct);
            var marked = await Waiting(db).Where(m => m.Id == replyId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReviewedAtUtc, now).SetProperty(m => m.ReviewedByName, actor.DisplayName), ct);
            if (marked == 1)
            {
                audit.Add(db, actor, AuditActions.ReplyReview, clientId, AuditOutcome.Succeeded, $"Reply {replyId}");
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
        }
        catch (Exception ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return Outcome.Refuse(DatabaseFailures.Message);
        }
        return Outcome.Ok;
    }

    private static string Words(MessageChannel channel, string body) => channel switch
    {
        MessageChannel.Voice when body == "1" => "Pressed 1 (confirm) on a reminder call, which could not be done",
        MessageChannel.Voice when body == "2" => "Pressed 2 (cancel) on a reminder call, which could not be done online",
        MessageChannel.Voice => $"Pressed {body} on a reminder call",
        _ => body,
    };
}
