using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Channels;

/// <summary>
/// Sends due text and voice rows through the transport, at most once each. A row is claimed (<see cref="WorkClaim"/>:
/// another instance gets other rows), its attempt is recorded BEFORE the provider is called, and the answer after. A
/// row found with an attempt started and no answer recorded was in flight when its dispatcher died: it may have
/// reached the patient, so it becomes <see cref="OutboundMessageStatus.Uncertain"/> instead of going again.
/// Retries of temporary failures follow the email outbox's rule and limits (Outbox:MaxAttempts and its delays).
/// </summary>
public sealed class TextDispatcher(
    IDbContextFactory<PortalDbContext> dbFactory,
    ITextTransport transport,
    OutboxSecrets secrets,
    IOptions<MessagingOptions> options,
    IOptions<OutboxOptions> retries,
    InstanceIdentity instance,
    TimeProvider time,
    OutboundMessageEvents events,
    ILogger<TextDispatcher> logger)
{
    /// <summary>Claims a batch of due texts and calls and hands them to the transport, one by one.</summary>
    /// <returns>How many rows were dealt with (sent, failed, rescheduled, or found uncertain).</returns>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now;
        var due = await WorkClaim.ClaimAsync(db,
            db.OutboundMessages
                .Where(m => m.Channel != MessageChannel.Email && m.Status == OutboundMessageStatus.Queued && m.NextAttemptAtUtc <= now)
                .OrderBy(m => m.NextAttemptAtUtc).ThenBy(m => m.Id),
            settings.BatchSize, instance.Name, now, TimeSpan.FromSeconds(settings.LeaseSeconds), ct);
        if (due.Count == 0)
            return 0;
        // Each row is tracked only while it is worked on: every save compares each tracked row with its snapshot. 800
        // texts to the loopback Twilio in batches of 200 took 16.6 s with each batch tracked whole, 2.9 s this way.
        db.ChangeTracker.Clear();

        var startedHere = new HashSet<OutboundMessage>();
        try
        {
            return await SendAsync(db, due, startedHere, ct);
        }
        finally
        {
            // What was not reached goes back at once rather than waiting out the lease. Not a row whose send started
            // here and was cut off (shutdown): like a crash, it keeps its claim and is found uncertain when the lease ends.
            var unstarted = due.Where(r => r.ClaimedBy is not null && !startedHere.Contains(r)).ToList();
            foreach (var row in unstarted)
            {
                Track(db, row);
                WorkClaim.Release(row);
            }
            if (unstarted.Count > 0)
            {
                try { await db.SaveChangesAsync(CancellationToken.None); }
                catch (Exception ex) { logger.LogWarning("Could not release {Count} claimed texts ({ErrorType}); their lease frees them", unstarted.Count, ex.GetType().Name); }
            }
        }
    }

    /// <summary>
    /// An attempt started (<see cref="OutboundMessage.LastAttemptAtUtc"/> is stamped when the row is handed to the
    /// provider) and no answer was recorded: every recorded answer either ends the row or moves its next attempt past
    /// the last one.
    /// </summary>
    private static bool IsInFlight(OutboundMessage row) =>
        row.Status == OutboundMessageStatus.Queued && row.LastAttemptAtUtc is { } started && started >= row.NextAttemptAtUtc;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task<int> SendAsync(PortalDbContext db, List<OutboundMessage> due, HashSet<OutboundMessage> startedHere, CancellationToken ct)
    {
        // Never start a send that could still be running when the claim ends and another instance may take the row.
        var sendBudget = TimeSpan.FromSeconds(2 * options.Value.Twilio.TimeoutSeconds);
        var handled = 0;
        for (var i = 0; i < due.Count; i++)
        {
            var row = due[i];
            ct.ThrowIfCancellationRequested();
            if (Now + sendBudget > row.LeaseExpiresAtUtc)
                break;
            handled++;
            Track(db, row);
            if (IsInFlight(row))
            {
                RecordUncertain(row);
                await db.SaveChangesAsync(CancellationToken.None);
                Forget(db, row);
                logger.LogWarning("Text {MessageId} was being sent when its dispatcher stopped; recorded as uncertain, not sent again", row.Id);
                events.Publish(row);
                continue;
            }

            startedHere.Add(row);
            row.Attempts++;
            row.LastAttemptAtUtc = Now;
            if (!await TrySaveAsync(db, row))
                continue; // changed meanwhile (e.g. withdrawn): its new state stands, and nothing is sent
            var result = await HandOverAsync(row, ct);
            var now = Now;
            await SaveOutcomeAsync(db, row, r => Record(r, result, now));
            Forget(db, row);
            events.Publish(row);
            if (result is TextSendResult.TryLater or TextSendResult.NoAnswer)
            {
                // The provider (or the folder) is the problem, not this message: the rest of the batch waits as long
                // (after no answer too: the next one would likely hang as well, and become uncertain).
                var reason = result is TextSendResult.TryLater later ? later.Reason : "the provider did not answer the message before this one in time.";
                var until = row.Status == OutboundMessageStatus.Queued ? row.NextAttemptAtUtc : now + OutboxDispatcher.RetryDelay(1, retries.Value);
                foreach (var rest in due.Skip(i + 1).Where(r => !IsInFlight(r)))
                {
                    Track(db, rest);
                    rest.NextAttemptAtUtc = rest.NextAttemptAtUtc > until ? rest.NextAttemptAtUtc : until;
                    rest.StatusDetail = Truncate($"Waiting: {reason}");
                }
                break;
            }
        }
        return handled;
    }

    private async Task<TextSendResult> HandOverAsync(OutboundMessage row, CancellationToken ct)
    {
        if (row.Channel == MessageChannel.Voice)
            return await transport.StartCallAsync(row, ct);
        string body;
        try
        {
            body = secrets.Reveal(row);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return new TextSendResult.Rejected("The link in this message could not be read back (the app's keys have changed), so it was not sent.");
        }
        return await transport.SendSmsAsync(row, body, ct);
    }

    private void Record(OutboundMessage row, TextSendResult result, DateTime now)
    {
        WorkClaim.Release(row);
        switch (result)
        {
            case TextSendResult.Accepted accepted:
                row.Status = OutboundMessageStatus.Sent;
                row.SentAtUtc = now;
                row.ProviderMessageId = accepted.ProviderId.Length > 0 ? accepted.ProviderId : null;
                row.StatusDetail = accepted.ProviderId.Length > 0 ? null : "The provider took it, but its answer could not be read: no delivery report will match it.";
                row.ProtectedSecret = null; // the link now lives only on the patient's phone
                logger.LogInformation("Sent {Channel} message {MessageId}", row.Channel, row.Id);
                break;
            case TextSendResult.Rejected rejected:
                row.Status = OutboundMessageStatus.Failed;
                row.StatusDetail = Truncate(rejected.Reason);
                row.ProtectedSecret = null;
                logger.LogWarning("{Channel} message {MessageId} refused by the provider; not retried", row.Channel, row.Id);
                break;
            case TextSendResult.NoAnswer noAnswer:
                row.Status = OutboundMessageStatus.Uncertain;
                row.StatusDetail = Truncate(noAnswer.Reason);
                row.ProtectedSecret = null;
                break;
            case TextSendResult.TryLater later when row.Attempts >= retries.Value.MaxAttempts:
                row.Status = OutboundMessageStatus.Failed;
                row.StatusDetail = Truncate($"Gave up after {row.Attempts} attempts. Last error: {later.Reason}");
                row.ProtectedSecret = null;
                break;
            case TextSendResult.TryLater later:
                row.StatusDetail = Truncate(later.Reason);
                row.NextAttemptAtUtc = now + OutboxDispatcher.RetryDelay(row.Attempts, retries.Value);
                break;
        }
    }

    private static void RecordUncertain(OutboundMessage row)
    {
        WorkClaim.Release(row);
        row.Status = OutboundMessageStatus.Uncertain;
        row.ProtectedSecret = null;
        var started = row.LastAttemptAtUtc!.Value.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        row.StatusDetail = $"The app stopped while handing this to the provider (at {started}): it may or may not have gone, so it was not sent again.";
    }

    private static void Track(PortalDbContext db, OutboundMessage row)
    {
        if (db.Entry(row).State == EntityState.Detached)
            db.Attach(row);
    }

    private static void Forget(PortalDbContext db, OutboundMessage row)
    {
        if (db.Entry(row).State != EntityState.Detached)
            db.Entry(row).State = EntityState.Detached;
    }

    private static async Task<bool> TrySaveAsync(PortalDbContext db, OutboundMessage row)
    {
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.Entry(row).State = EntityState.Detached;
            return false;
        }
    }

    /// <summary>
    /// Saved whatever happens to the caller (not cancellable): the provider has answered, so the answer is recorded,
    /// even over a change made meanwhile (a withdrawal cannot take back a text that went).
    /// </summary>
    private static async Task SaveOutcomeAsync(PortalDbContext db, OutboundMessage row, Action<OutboundMessage> record)
    {
        record(row);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            var entry = db.Entry(row);
            await entry.ReloadAsync(CancellationToken.None);
            if (entry.State == EntityState.Detached)
                return; // deleted meanwhile: nothing left to record on
            record(row);
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    private static string Truncate(string value) => value.Length <= OutboundMessage.MaxDetailLength ? value : value[..(OutboundMessage.MaxDetailLength - 1)] + "…";
}
