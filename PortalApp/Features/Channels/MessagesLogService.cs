using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Channels;

/// <summary>One message on the Messages log. An email's status, attempts and error are its email outbox row's.</summary>
public sealed record MessageLogEntry(
    long Id, MessageChannel Channel, string? RecipientName, string Recipient, string Kind, OutboundMessageStatus Status, string? Reason,
    int Attempts, DateTime CreatedAtUtc, DateTime? SentAtUtc, DateTime? DeliveredAtUtc, DateTime NextAttemptAtUtc);

public sealed record MessageLogPage(IReadOnlyList<MessageLogEntry> Items, int TotalCount);

/// <summary>The Messages log: every outbound message on every channel, newest first, with where it stands and why.</summary>
public sealed class MessagesLogService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    public async Task<MessageLogPage> ListAsync(MessageChannel? channel, OutboundMessageStatus? status, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.OutboundMessages.AsNoTracking();
        if (channel is { } c)
            query = query.Where(m => m.Channel == c);
        if (status is { } s)
        {
            query = EmailStatusFor(s) is { } emailStatus
                ? query.Where(m => m.Channel == MessageChannel.Email ? m.OutboxEmail!.Status == emailStatus : m.Status == s)
                : query.Where(m => m.Channel != MessageChannel.Email && m.Status == s);
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(m => m.Id)
            .Skip(Math.Max(page, 0) * pageSize).Take(pageSize)
            .Select(m => new
            {
                m.Id, m.Channel, m.RecipientName, m.Recipient, m.Kind, m.Status, m.StatusDetail, m.Attempts, m.CreatedAtUtc,
                m.SentAtUtc, m.DeliveredAtUtc, m.NextAttemptAtUtc,
                Email = m.OutboxEmail == null ? null : new { m.OutboxEmail.Status, m.OutboxEmail.LastError, m.OutboxEmail.Attempts, m.OutboxEmail.SentAtUtc, m.OutboxEmail.NextAttemptAtUtc },
            })
            .ToListAsync(ct);
        var items = rows.Select(m => m.Channel == MessageChannel.Email && m.Email is { } e
                ? new MessageLogEntry(m.Id, m.Channel, m.RecipientName, m.Recipient, m.Kind, StatusOf(e.Status), e.LastError, e.Attempts,
                    m.CreatedAtUtc, e.SentAtUtc, null, e.NextAttemptAtUtc)
                : new MessageLogEntry(m.Id, m.Channel, m.RecipientName, m.Recipient, m.Kind, m.Status, m.StatusDetail, m.Attempts,
                    m.CreatedAtUtc, m.SentAtUtc, m.DeliveredAtUtc, m.NextAttemptAtUtc))
            .ToList();
        return new MessageLogPage(items, total);
    }

    /// <summary>The one mapping between the email outbox's states and the Messages log's (an email has no delivery report).</summary>
    public static OutboundMessageStatus StatusOf(OutboxStatus email) => email switch
    {
        OutboxStatus.Sent => OutboundMessageStatus.Sent,
        OutboxStatus.Failed => OutboundMessageStatus.Failed,
        _ => OutboundMessageStatus.Queued,
    };

    private static OutboxStatus? EmailStatusFor(OutboundMessageStatus status) => status switch
    {
        OutboundMessageStatus.Queued => OutboxStatus.Pending,
        OutboundMessageStatus.Sent => OutboxStatus.Sent,
        OutboundMessageStatus.Failed => OutboxStatus.Failed,
        _ => null,
    };
}
