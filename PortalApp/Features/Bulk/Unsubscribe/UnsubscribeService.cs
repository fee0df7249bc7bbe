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
    public sealed record Offered(ClientLanguage Language = ClientLanguage.English) : UnsubscribeState;

    /// <summary>The patient is unsubscribed (by this link, another one, or the front desk) since then.</summary>
    public sealed record Unsubscribed(DateTime SinceUtc, ClientLanguage Language = ClientLanguage.English) : UnsubscribeState;

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
    public async Task<UnsubscribeState> FindAsync(string? token, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var recipient = await UnsubscribeLinks.FindUsableAsync(db, token, time.GetUtcNow().UtcDateTime, ct);
        var client = recipient?.ClientId is { } id ? await ClientAsync(db, id, ct) : null;
        return client is null ? new UnsubscribeState.Unusable()
            : client.PromotionalOptOutAtUtc is { } since ? new UnsubscribeState.Unsubscribed(since, client.PreferredLanguage)
            : new UnsubscribeState.Offered(client.PreferredLanguage);
    }

    /// <returns><see cref="UnsubscribeState.Unsubscribed"/> (now or before), <see cref="UnsubscribeState.Unusable"/> or <see cref="UnsubscribeState.NotSaved"/>.</returns>
    public async Task<UnsubscribeState> UnsubscribeAsync(string? token, UnsubscribeVia via, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Looked up before any lock: a link that is no link takes none (SQLite's write lock is the whole database's).
        var recipient = await UnsubscribeLinks.FindUsableAsync(db, token, now, ct);
        if (recipient?.ClientId is not { } linked || await CardIdAsync(db, linked, ct) is not { } clientId)
            return new UnsubscribeState.Unusable();
        try
        {
            // Unsubscribes of one client queue here (PostgreSQL: the card's row; SQLite: the database's write lock), so
            // each reads the card as the one before left it: two links posted at once cannot both set the opt-out.
            await using var tx = await WriteLock.BeginAsync<Client>(db, clientId, ct);
            // A conditional update: the same link posted twice (the button and the email app) marks its recipient once.
            var marked = await db.BulkRecipients.Where(r => r.Id == recipient.Id && r.UnsubscribedAtUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.UnsubscribedAtUtc, now), ct) == 1;
            var client = await db.Clients.SingleAsync(c => c.Id == clientId, ct);
            var optedOut = PromotionalOptOut.Record(client, now, UnsubscribeWords.Via(via));
            if (!marked && !optedOut)
                return new UnsubscribeState.Unsubscribed(client.PromotionalOptOutAtUtc!.Value, client.PreferredLanguage);

            // Ids and the way only: the send's title and the patient's address stay out of the audit log.
            audit.Add(db, null, AuditActions.PromotionalUnsubscribe, client.Id, AuditOutcome.Succeeded,
                $"Bulk send {recipient.BulkSendId}; {UnsubscribeWords.Via(via)}{(optedOut ? "" : "; already unsubscribed before")}");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("Client {ClientId} unsubscribed from promotional messages by {UnsubscribeVia}", client.Id, via);
            return new UnsubscribeState.Unsubscribed(client.PromotionalOptOutAtUtc!.Value, client.PreferredLanguage);
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException || DatabaseFailures.IsStorageProblem(ex))
        {
            logger.LogWarning("An unsubscribe could not be saved ({ErrorType})", ex.GetType().Name);
            return new UnsubscribeState.NotSaved();
        }
    }

    /// <summary>The card the link was sent for, or the card it was merged into since.</summary>
    private static async Task<int?> CardIdAsync(PortalDbContext db, int clientId, CancellationToken ct) =>
        await db.Clients.Where(c => c.Id == clientId).Select(c => (int?)(c.MergedIntoClientId ?? c.Id)).SingleOrDefaultAsync(ct);

    private static async Task<Client?> ClientAsync(PortalDbContext db, int clientId, CancellationToken ct) =>
        await CardIdAsync(db, clientId, ct) is { } id ? await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) : null;
}
