using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;

namespace PortalApp.Email;

public sealed record OutboxEmailSummary(
    long Id, DateTime CreatedAtUtc, string ToAddress, string Subject, string Kind, int? ClientId,
    OutboxStatus Status, int Attempts, DateTime? LastAttemptAtUtc, DateTime NextAttemptAtUtc, DateTime? SentAtUtc, string? LastError);

public sealed record OutboxPage(IReadOnlyList<OutboxEmailSummary> Items, int TotalCount);

public enum RetryResult
{
    Queued,
    NotFound,
    NotFailed,
}

/// <summary>The Email log page: what went out, what is waiting, what failed and why; retrying a failed email.</summary>
public sealed class EmailLogService(
    IDbContextFactory<PortalDbContext> dbFactory, EmailOutbox outbox, AuditLog audit, TimeProvider time)
{
    public async Task<OutboxPage> ListAsync(OutboxStatus? status, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.OutboxEmails.AsNoTracking();
        if (status is { } s)
            query = query.Where(o => o.Status == s);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(o => o.Id)
            .Skip(Math.Max(page, 0) * pageSize).Take(pageSize)
            .Select(o => new OutboxEmailSummary(o.Id, o.CreatedAtUtc, o.ToAddress, o.Subject, o.Kind, o.ClientId,
                o.Status, o.Attempts, o.LastAttemptAtUtc, o.NextAttemptAtUtc, o.SentAtUtc, o.LastError))
            .ToListAsync(ct);
        return new OutboxPage(items, total);
    }

    /// <summary>Puts a failed email back in the queue with a fresh set of attempts. Admin only, checked here whatever the page shows.</summary>
    public async Task<RetryResult> RetryAsync(long outboxEmailId, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            throw new UnauthorizedAccessException("Only an admin can retry an email.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.OutboxEmails.SingleOrDefaultAsync(o => o.Id == outboxEmailId, ct);
        if (row is null)
            return RetryResult.NotFound;
        if (row.Status != OutboxStatus.Failed)
            return RetryResult.NotFailed;

        row.Status = OutboxStatus.Pending;
        row.Attempts = 0;
        row.NextAttemptAtUtc = time.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, AuditActions.EmailRetry, row.ClientId, AuditOutcome.Succeeded, $"Email {row.Id}");
        await db.SaveChangesAsync(ct);
        outbox.WakeDispatcher();
        return RetryResult.Queued;
    }

    /// <summary>Lets the clinic's IT person check the mail setup end to end: a short email to the signed-in staff member.</summary>
    public async Task<Outcome> SendTestAsync(StaffActor actor, string? toAddress, EmailContent content, CancellationToken ct = default)
    {
        if (EmailAddressRules.Problem(toAddress) is { } problem)
            return Outcome.Refuse($"Your staff account has no usable email address: {problem}");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        outbox.Enqueue(db, new OutgoingEmail(toAddress!, actor.DisplayName, content.Subject, content.Html, content.Text, "test"));
        audit.Add(db, actor, AuditActions.EmailTest, null, AuditOutcome.Succeeded);
        await db.SaveChangesAsync(ct);
        outbox.WakeDispatcher();
        return Outcome.Ok;
    }
}
