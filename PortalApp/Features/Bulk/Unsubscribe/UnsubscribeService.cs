using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.Bulk.Unsubscribe;

/// <summary>Which way a patient unsubscribed: the page's button, or their email app's one-click (RFC 8058).</summary>
public enum UnsubscribeVia
{
    LinkPage,
    OneClick,
}

/// <summary>What an unsubscribe link stands for now.</summary>
public abstract record UnsubscribeState
{
    /// <summary>The link works and the patient still gets promotional messages: the page offers the button.</summary>
    public sealed record Offered : UnsubscribeState;

    /// <summary>The patient is unsubscribed (by this link, another one, or the front desk) since then.</summary>
    public sealed record Unsubscribed(DateTime SinceUtc) : UnsubscribeState;

    /// <summary>Malformed, unknown or expired: one answer for all, which reveals nothing.</summary>
    public sealed record Unusable : UnsubscribeState;

    /// <summary>The database could not save it (full disk, busy): nothing changed, try again.</summary>
    public sealed record NotSaved : UnsubscribeState;
}

/// <summary>
/// The unsubscribe link of a promotional message (/unsubscribe/{token}). Reading it changes nothing (link scanners
/// follow every GET); <see cref="UnsubscribeAsync"/> records the opt-out on the client card, marks the recipient of the
/// send and writes the audit row in one transaction, once however often it is posted.
/// </summary>
public sealed class UnsubscribeService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, TimeProvider time, ILogger<UnsubscribeService> logger)
{
    /// <summary>Two unsubscribes of one client saved at the same moment (two links, or a link and the front desk): the second runs again.</summary>
    private const int MaxAttempts = 3;

    public async Task<UnsubscribeState> FindAsync(string? token, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var recipient = await UnsubscribeLinks.FindUsableAsync(db, token, time.GetUtcNow().UtcDateTime, ct);
        var client = recipient?.ClientId is { } id ? await ClientAsync(db, id, ct) : null;
        return client is null ? new UnsubscribeState.Unusable()
            : client.PromotionalOptOutAtUtc is { } since ? new UnsubscribeState.Unsubscribed(since)
            : new UnsubscribeState.Offered();
    }

    /// <returns><see cref="UnsubscribeState.Unsubscribed"/> (now or before), <see cref="UnsubscribeState.Unusable"/> or <see cref="UnsubscribeState.NotSaved"/>.</returns>
    public async Task<UnsubscribeState> UnsubscribeAsync(string? token, UnsubscribeVia via, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryUnsubscribeAsync(token, via, ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // The card changed between reading and saving (another unsubscribe, a staff edit): read it again.
            }
            catch (Exception ex) when (DatabaseFailures.IsStorageProblem(ex))
            {
                logger.LogWarning("An unsubscribe could not be saved ({ErrorType})", ex.GetType().Name);
                return new UnsubscribeState.NotSaved();
            }
        }
    }

    private async Task<UnsubscribeState> TryUnsubscribeAsync(string? token, UnsubscribeVia via, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Looked up before the transaction: a link that is no link takes no write lock (SQLite's is the whole database).
        var recipient = await UnsubscribeLinks.FindUsableAsync(db, token, now, ct);
        if (recipient?.ClientId is not { } clientId)
            return new UnsubscribeState.Unusable();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // A conditional update: the same link posted twice at once (the button and the email app) marks it once; the
        // second waits for the first's commit and then finds it marked.
        var marked = await db.BulkRecipients.Where(r => r.Id == recipient.Id && r.UnsubscribedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UnsubscribedAtUtc, now), ct) == 1;
        if (await ClientAsync(db, clientId, ct) is not { } client)
            return new UnsubscribeState.Unusable();
        var optedOut = PromotionalOptOut.Record(client, now, UnsubscribeWords.Via(via));
        if (!marked && !optedOut)
            return new UnsubscribeState.Unsubscribed(client.PromotionalOptOutAtUtc!.Value);

        // Ids and the way only: the send's title and the patient's address stay out of the audit log.
        audit.Add(db, null, AuditActions.PromotionalUnsubscribe, client.Id, AuditOutcome.Succeeded,
            $"Bulk send {recipient.BulkSendId}; {UnsubscribeWords.Via(via)}{(optedOut ? "" : "; already unsubscribed before")}");
        await db.SaveChangesAsync(ct); // the card's Version: a concurrent change to it throws, and the whole attempt runs again
        await tx.CommitAsync(ct);
        logger.LogInformation("Client {ClientId} unsubscribed from promotional messages by {UnsubscribeVia}", client.Id, via);
        return new UnsubscribeState.Unsubscribed(client.PromotionalOptOutAtUtc!.Value);
    }

    /// <summary>The card the link was sent for, or the card it was merged into since.</summary>
    private static async Task<Client?> ClientAsync(PortalDbContext db, int clientId, CancellationToken ct)
    {
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, ct);
        return client?.MergedIntoClientId is { } survivor ? await db.Clients.SingleOrDefaultAsync(c => c.Id == survivor, ct) : client;
    }
}
