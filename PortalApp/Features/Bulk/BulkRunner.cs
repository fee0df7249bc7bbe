using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Channels;
using PortalApp.Features.Clinic;
using PortalApp.Features.Invites;
using PortalApp.Features.Messaging;
using PortalApp.Features.Templates;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Bulk;

/// <summary>
/// Moves bulk sends along. Each round one instance claims one due send (its lease), and in ONE transaction that holds
/// the send's row: checks it is still running, takes the next recipients the channel's rate allows, checks each again
/// (end-dated, opted out, unsubscribed, reached by another send), and hands each one message with exactly one recipient
/// to the outbound seam, marking the recipient. So a crash loses or repeats nothing here: the batch commits whole or
/// not at all. What can be in doubt is only a message the dispatchers were handing to the provider (0004, 0016).
/// </summary>
public sealed class BulkRunner(
    IDbContextFactory<PortalDbContext> dbFactory,
    BulkComposer composer,
    OutboundMessages outbound,
    StaffMessagingService messaging,
    InviteService invites,
    ClinicSettingsService clinic,
    IOptions<BulkOptions> options,
    InstanceIdentity instance,
    TimeProvider time,
    BulkSendEvents events,
    ILogger<BulkRunner> logger)
{
    /// <returns>True when more is due at once (a full batch went and the rate allows more).</returns>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await WorkClaim.ClaimAsync(db,
            db.BulkSends
                .Where(b => (b.State == BulkSendState.Scheduled && b.StartsAtUtc <= now) || b.State == BulkSendState.Sending)
                .OrderBy(b => b.LastReleaseAtUtc ?? b.StartsAtUtc).ThenBy(b => b.Id),
            1, instance.Name, now, TimeSpan.FromSeconds(settings.LeaseSeconds), ct);
        if (claimed.Count == 0)
            return false;
        var send = claimed[0];
        var outcome = Round.Idle;
        try
        {
            outcome = await AdvanceAsync(db, send, ct);
        }
        finally
        {
            // Whatever happened, the next round (here or on another instance) may take the send at once.
            await db.BulkSends.Where(b => b.Id == send.Id && b.ClaimedBy == instance.Name)
                .ExecuteUpdateAsync(u => u.SetProperty(b => b.ClaimedBy, (string?)null).SetProperty(b => b.LeaseExpiresAtUtc, (DateTime?)null), CancellationToken.None);
        }
        if (outcome != Round.Idle)
            events.Publish(send.Id);
        return outcome == Round.FullBatch;
    }

    private enum Round { Idle, Partial, FullBatch }

    private async Task<Round> AdvanceAsync(PortalDbContext db, BulkSend send, CancellationToken ct)
    {
        var settings = options.Value;
        var clinicView = await clinic.GetAsync(ct);
        // Written before the lock, which on SQLite is the whole database's: holding it while rendering stalled every
        // other writer (the health check's heartbeat too). Under the lock each draft is used only if the patient and
        // the send still give the same model; the eligibility checks are all made again there.
        var drafts = await DraftAsync(db, send, clinicView, ct);
        await using var tx = await WriteLock.BeginAsync<BulkSend>(db, send.Id, ct);
        await db.Entry(send).ReloadAsync(ct);
        if (send.State is not (BulkSendState.Scheduled or BulkSendState.Sending) || send.ClaimedBy != instance.Name)
            return Round.Idle; // paused or cancelled by staff since the claim
        var now = time.GetUtcNow().UtcDateTime;
        var rate = settings.RateFor(send.Channel);
        if (send.State == BulkSendState.Scheduled)
        {
            send.State = BulkSendState.Sending;
            send.StartedAtUtc = now;
            send.LastReleaseAtUtc = now - TimeSpan.FromSeconds(1 / rate);
        }
        if (send.Channel is BulkChannel.Sms or BulkChannel.Voice && await InQuietHoursAsync(db, clinicView, now, ct))
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return Round.Idle;
        }

        var (from, allowed) = Allowance(send.LastReleaseAtUtc, now, rate, settings.BatchSize);
        if (allowed < 1)
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return Round.Idle;
        }
        var batch = await db.BulkRecipients.Where(r => r.BulkSendId == send.Id && r.Status == BulkRecipientStatus.Pending)
            .OrderBy(r => r.Position).Take(allowed).ToListAsync(ct);
        if (batch.Count == 0)
        {
            send.State = BulkSendState.Finished;
            send.FinishedAtUtc = now;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("Bulk send {BulkSendId} finished", send.Id);
            return Round.Partial;
        }
        send.LastReleaseAtUtc = from + TimeSpan.FromSeconds(batch.Count / rate);

        var ids = batch.Where(r => r.ClientId is not null).Select(r => (object)r.ClientId!.Value).ToList();
        await WriteLock.HoldAsync<Client>(db, ids, ct);
        var prepared = await PrepareAsync(db, send, batch, clinicView, now, drafts, ct);
        // The recipients' outcomes as plain updates, without SaveChanges' work per row: on SQLite this round holds the one
        // write lock, and every sent email's record waits for it (issue 14's benchmark). SaveChanges writes the rest.
        await PlainRows.UpdateAsync(db, batch, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        outbound.Wake();
        foreach (var clientId in prepared.PortalClients)
            messaging.Committed(clientId);
        logger.LogInformation("Bulk send {BulkSendId}: {Sent} handed on, {Skipped} left out", send.Id, prepared.Sent, batch.Count - prepared.Sent);
        return batch.Count == settings.BatchSize ? Round.FullBatch : Round.Partial;
    }

    /// <summary>Token bucket: the send may use what the rate allowed since the last release, at most one batch at once.</summary>
    private static (DateTime From, int Allowed) Allowance(DateTime? lastRelease, DateTime now, double rate, int batchSize)
    {
        var earliest = now - TimeSpan.FromSeconds(batchSize / rate);
        var from = lastRelease is { } last && last > earliest ? last : earliest;
        return (from, (int)Math.Min(batchSize, Math.Floor((now - from).TotalSeconds * rate)));
    }

    /// <summary>One patient's message as written before the lock, and the inputs it was written from.</summary>
    private sealed record Draft(BulkChannel Channel, BulkPurpose Purpose, string? Subject, string Body, TemplateModel Model, string? UnsubscribeUrl, BulkContent Content);

    /// <summary>
    /// The messages of the batch the next round will most likely take, written without any lock (nothing is saved):
    /// the same recipients, facts and rules the round uses, read ahead. A recipient with no draft, or whose draft no
    /// longer fits, is written under the lock as before.
    /// </summary>
    private async Task<Dictionary<long, Draft>> DraftAsync(PortalDbContext db, BulkSend send, ClinicView clinicView, CancellationToken ct)
    {
        var drafts = new Dictionary<long, Draft>();
        if (send.Channel == BulkChannel.Invite || send.State is not (BulkSendState.Scheduled or BulkSendState.Sending))
            return drafts; // an invite is written by the invite service, inside the transaction that adds it
        var now = time.GetUtcNow().UtcDateTime;
        var rate = options.Value.RateFor(send.Channel);
        var lastRelease = send.State == BulkSendState.Scheduled ? now - TimeSpan.FromSeconds(1 / rate) : send.LastReleaseAtUtc;
        var (_, allowed) = Allowance(lastRelease, now, rate, options.Value.BatchSize);
        if (allowed < 1 || (send.Channel is BulkChannel.Sms or BulkChannel.Voice && await InQuietHoursAsync(db, clinicView, now, ct)))
            return drafts;
        var batch = await db.BulkRecipients.AsNoTracking().Where(r => r.BulkSendId == send.Id && r.Status == BulkRecipientStatus.Pending)
            .OrderBy(r => r.Position).Take(allowed).ToListAsync(ct);
        var clientIds = batch.Where(r => r.ClientId is not null).Select(r => r.ClientId!.Value).ToList();
        if (clientIds.Count == 0)
            return drafts;
        var today = DateOnly.FromDateTime(ClinicTime.ToWallClock(now, clinicView.TimeZone));
        var facts = (await BulkAudienceService.FactsAsync(db, db.Clients.Where(c => clientIds.Contains(c.Id) && c.MergedIntoClientId == null), now, send.Id, ct))
            .ToDictionary(f => f.Id);
        var readers = send.Channel == BulkChannel.Portal ? await PortalReaders.PatientsWithReadersAsync(db, clientIds, today, ct) : [];
        var unsubscribeUrl = UnsubscribeUrl(send, clinicView);
        foreach (var recipient in batch)
        {
            if (recipient.ClientId is not { } clientId || !facts.TryGetValue(clientId, out var client)
                || !BulkEligibility.Judge(client, send.Channel, send.Purpose, readers.Contains(clientId), today, now, clinicView.BulkRecentDays).Included)
                continue;
            var model = ModelFor(client, send, clinicView);
            if (await composer.ComposeAsync(send.Channel, send.Purpose, send.Subject, send.Body, model, clinicView, unsubscribeUrl) is BulkComposeResult.Composed { Content: var content })
                drafts[recipient.Id] = new Draft(send.Channel, send.Purpose, send.Subject, send.Body, model, unsubscribeUrl, content);
        }
        return drafts;
    }

    private static TemplateModel ModelFor(BulkClientFacts client, BulkSend send, ClinicView clinicView) =>
        BulkComposer.ModelFor(client, clinicView, send.CreatedByName);

    /// <summary>A promotional email's link, with the token as <see cref="OutboxEmail.SecretMarker"/>; null for any other send.</summary>
    private static string? UnsubscribeUrl(BulkSend send, ClinicView clinicView) =>
        send.Purpose == BulkPurpose.Promotional && send.Channel == BulkChannel.Email ? clinicView.UnsubscribeLink(OutboxEmail.SecretMarker) : null;

    private sealed record Prepared(int Sent, List<int> PortalClients);

    private async Task<Prepared> PrepareAsync(PortalDbContext db, BulkSend send, List<BulkRecipient> batch, ClinicView clinicView, DateTime now,
        Dictionary<long, Draft> drafts, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(ClinicTime.ToWallClock(now, clinicView.TimeZone));
        var clientIds = batch.Where(r => r.ClientId is not null).Select(r => r.ClientId!.Value).ToList();
        var facts = (await BulkAudienceService.FactsAsync(db, db.Clients.Where(c => clientIds.Contains(c.Id) && c.MergedIntoClientId == null), now, send.Id, ct))
            .ToDictionary(f => f.Id);
        var readers = send.Channel == BulkChannel.Portal ? await PortalReaders.PatientsWithReadersAsync(db, clientIds, today, ct) : [];
        var actor = new StaffActor(send.CreatedByUserId, send.CreatedByName);
        var sent = 0;
        var portalClients = new List<int>();
        var emails = new List<(BulkRecipient Recipient, OutgoingEmail Email, ClientLanguage Language)>();
        foreach (var recipient in batch)
        {
            recipient.ProcessedAtUtc = now;
            if (recipient.ClientId is not { } clientId || !facts.TryGetValue(clientId, out var client))
            {
                Skip(recipient, BulkExclusion.Gone);
                continue;
            }
            var verdict = BulkEligibility.Judge(client, send.Channel, send.Purpose, readers.Contains(clientId), today, now, clinicView.BulkRecentDays);
            if (!verdict.Included)
            {
                Skip(recipient, verdict.Exclusion!);
                continue;
            }
            var problem = await HandOnAsync(db, send, recipient, client, clinicView, actor, now, drafts.GetValueOrDefault(recipient.Id), emails, ct);
            if (problem is null)
            {
                recipient.Status = BulkRecipientStatus.Sent;
                sent++;
                if (send.Channel == BulkChannel.Portal)
                    portalClients.Add(clientId);
            }
            else
            {
                recipient.Status = BulkRecipientStatus.Failed;
                recipient.Reason = Bounded(problem);
            }
        }
        // The batch's emails in one go: the rows SaveChanges would write, without its cost per row (issue 14's benchmark).
        var written = await outbound.WriteEmailsAsync(db, emails.Select(e => (e.Email, e.Language)).ToList(), ct);
        for (var i = 0; i < written.Count; i++)
            emails[i].Recipient.OutboundMessageId = written[i].Id;
        return new Prepared(sent, portalClients);
    }

    /// <summary>
    /// The recipient's one message, added to the batch's transaction (an email to <paramref name="emails"/>, written with
    /// the rest of the batch's); null, or why it could not be made.
    /// </summary>
    private async Task<string?> HandOnAsync(PortalDbContext db, BulkSend send, BulkRecipient recipient, BulkClientFacts client, ClinicView clinicView,
        StaffActor actor, DateTime now, Draft? draft, List<(BulkRecipient, OutgoingEmail, ClientLanguage)> emails, CancellationToken ct)
    {
        if (send.Channel == BulkChannel.Invite)
        {
            var card = await db.Clients.SingleAsync(c => c.Id == client.Id, ct);
            var template = new MessageTemplate { Id = send.TemplateId ?? 0, Kind = TemplateKind.PortalInvite, Name = send.Title, Subject = send.Subject ?? "", Body = send.Body };
            var added = await invites.AddAsync(db, card, template, actor, resend: false, now, ct);
            recipient.PortalInvite = added.Invite;
            return added.Refusal;
        }

        var unsubscribeUrl = UnsubscribeUrl(send, clinicView);
        var token = unsubscribeUrl is null ? null : UnsubscribeLinks.Issue(recipient, now);
        var model = ModelFor(client, send, clinicView);
        BulkContent content;
        if (draft is not null && draft == draft with { Channel = send.Channel, Purpose = send.Purpose, Subject = send.Subject, Body = send.Body, Model = model, UnsubscribeUrl = unsubscribeUrl })
            content = draft.Content;
        else if (await composer.ComposeAsync(send.Channel, send.Purpose, send.Subject, send.Body, model, clinicView, unsubscribeUrl) is BulkComposeResult.Composed { Content: var composed })
            content = composed;
        else
            return "The message could not be written for this patient.";

        switch (send.Channel)
        {
            case BulkChannel.Email:
                var email = new OutgoingEmail(recipient.Address!, client.Name, content.Subject!, content.Html!, content.Text, MessageLabels.BulkMessageKind, client.Id, token, unsubscribeUrl);
                if (EmailAddressRules.Problem(email.ToAddress) is { } unusable)
                    return unusable;
                emails.Add((recipient, email, client.Language));
                return null;
            case BulkChannel.Sms or BulkChannel.Voice:
                recipient.OutboundMessage = outbound.EnqueueText(db, new OutgoingText(send.Channel == BulkChannel.Sms ? MessageChannel.Sms : MessageChannel.Voice,
                    recipient.Address!, content.Text, MessageLabels.BulkMessageKind, client.Language, client.Id, RecipientName: client.Name));
                return null;
            default:
                var card = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == client.Id, ct);
                var readers = await PortalReaders.ForPatientAsync(db, client.Id, DateOnly.FromDateTime(ClinicTime.ToWallClock(now, clinicView.TimeZone)), ct);
                recipient.Conversation = await messaging.AddConversationAsync(db, card, readers, content.Subject!, content.Text, allowReplies: true, send.CreatedByName, ct);
                return null;
        }
    }

    private static async Task<bool> InQuietHoursAsync(PortalDbContext db, ClinicView clinicView, DateTime now, CancellationToken ct)
    {
        var reminderSettings = await db.ReminderSettings.AsNoTracking().SingleOrDefaultAsync(ct);
        return reminderSettings is not null
            && QuietHours.From(reminderSettings).Contains(TimeOnly.FromDateTime(ClinicTime.ToWallClock(now, clinicView.TimeZone)));
    }

    private static void Skip(BulkRecipient recipient, string reason)
    {
        recipient.Status = BulkRecipientStatus.Skipped;
        recipient.Reason = Bounded(reason);
    }

    private static string Bounded(string reason) => reason.Length <= BulkRecipient.MaxReasonLength ? reason : reason[..BulkRecipient.MaxReasonLength];
}
