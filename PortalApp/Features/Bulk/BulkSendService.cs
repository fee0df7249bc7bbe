using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Bulk;

/// <summary>
/// Staff's side of bulk sends: create one (checked and counted again on the server), undo it in its window, pause,
/// resume and cancel it while it runs. Front desk and admins only, checked here, not only hidden on the page.
/// </summary>
public sealed class BulkSendService(
    IDbContextFactory<PortalDbContext> dbFactory,
    BulkAudienceService audiences,
    ClinicSettingsService clinic,
    AuditLog audit,
    TimeProvider time,
    BulkSignal signal,
    BulkSendEvents events,
    TemplateRenderer renderer,
    ILogger<BulkSendService> logger)
{
    public const string NotAllowed = "Only front desk staff and admins can send bulk messages.";
    public const int MaxScheduleDays = 90;

    public static bool MaySend(StaffActor actor) => actor.IsAdmin || actor.Roles.Contains(StaffRoles.FrontDesk);

    public async Task<BulkCreateResult> CreateAsync(BulkSendRequest request, StaffActor actor, CancellationToken ct = default)
    {
        if (!MaySend(actor))
            return new BulkCreateResult.Refused(NotAllowed);
        if (BulkMessageRules.Problem(request, renderer) is { } problem)
            return new BulkCreateResult.Refused(problem);
        var now = time.GetUtcNow().UtcDateTime;
        if (request.ScheduledForUtc is { } scheduled && (scheduled <= now || scheduled > now.AddDays(MaxScheduleDays)))
            return new BulkCreateResult.Refused($"Schedule it for a time in the next {MaxScheduleDays} days, or send it now.");

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.BulkSends.AsNoTracking().Where(b => b.IdempotencyKey == request.IdempotencyKey).Select(b => (long?)b.Id).SingleOrDefaultAsync(ct) is { } existing)
            return new BulkCreateResult.AlreadyCreated(existing);
        var (subject, body) = (request.Subject?.Trim(), request.Body ?? "");
        if (request.Channel == BulkChannel.Invite)
        {
            var template = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == request.TemplateId && t.Kind == TemplateKind.PortalInvite, ct);
            if (template is null)
                return new BulkCreateResult.Refused("That invite template no longer exists. Choose another.");
            (subject, body) = (template.Subject, template.Body);
        }

        var audience = await audiences.BuildAsync(request.Audience, request.Channel, request.Purpose, ct);
        if (audience.Problem is { } tooLarge)
            return new BulkCreateResult.Refused(tooLarge);
        if (audience.Count == 0)
            return new BulkCreateResult.Refused("Nobody in this audience can get this message: see who is left out and why.");
        if (request.ConfirmedCount != audience.Count)
            return new BulkCreateResult.Refused(request.ConfirmedCount is null
                ? $"Type the number of recipients ({audience.Count:N0}) to confirm."
                : $"The audience is {audience.Count:N0} patients now, not {request.ConfirmedCount:N0}. Check the list again and type the number shown.");

        var settings = await clinic.GetAsync(ct);
        var undoEnds = now.AddMinutes(settings.BulkUndoMinutes);
        var send = new BulkSend
        {
            IdempotencyKey = request.IdempotencyKey,
            Title = request.Title!.Trim(),
            Channel = request.Channel,
            Purpose = request.Purpose,
            AudienceKind = request.Audience.Kind,
            AudienceJson = request.Audience.ToJson(),
            AudienceDescription = await DescribeAsync(db, request.Audience, ct),
            TemplateId = request.TemplateId,
            Subject = subject,
            Body = body,
            State = BulkSendState.Scheduled,
            CreatedAtUtc = now,
            CreatedByUserId = actor.UserId,
            CreatedByName = actor.DisplayName,
            ScheduledForUtc = request.ScheduledForUtc,
            StartsAtUtc = request.ScheduledForUtc is { } at && at > undoEnds ? at : undoEnds,
            RecipientCount = audience.Count,
            ExcludedCount = audience.Excluded.Count,
        };
        db.BulkSends.Add(send);
        var position = 0;
        foreach (var member in audience.Included)
            db.BulkRecipients.Add(new BulkRecipient { BulkSend = send, ClientId = member.ClientId, Name = Bounded(member.Name, BulkRecipient.MaxNameLength), Address = member.Address, Status = BulkRecipientStatus.Pending, Position = position++ });
        foreach (var member in audience.Excluded)
            db.BulkRecipients.Add(new BulkRecipient { BulkSend = send, ClientId = member.ClientId, Name = Bounded(member.Name, BulkRecipient.MaxNameLength), Status = BulkRecipientStatus.Skipped, Reason = member.Exclusion, Position = position++, ProcessedAtUtc = now });
        // Who sent what purpose to how many, and how they were picked; never a patient's name or the message.
        audit.Add(db, actor, AuditActions.BulkSend, null, AuditOutcome.Succeeded,
            $"'{send.Title}': {send.Purpose} by {send.Channel} to {audience.Count} ({audience.Excluded.Count} left out); audience: {send.AudienceDescription}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
        {
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            var first = await again.BulkSends.AsNoTracking().Where(b => b.IdempotencyKey == request.IdempotencyKey).Select(b => b.Id).SingleAsync(ct);
            return new BulkCreateResult.AlreadyCreated(first);
        }
        catch (Exception ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            logger.LogError("Bulk send not saved: storage problem ({ErrorType})", ex.GetType().Name);
            return new BulkCreateResult.Refused(DatabaseFailures.Message);
        }
        logger.LogInformation("Bulk send {BulkSendId} created for {Count} recipients", send.Id, audience.Count);
        events.Publish(send.Id);
        return new BulkCreateResult.Created(send.Id, audience.Count, send.StartsAtUtc);
    }

    /// <summary>Undo (before the first message leaves) and cancel (midway) are one act: nobody not yet reached will be.</summary>
    public Task<Outcome> CancelAsync(long bulkSendId, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(bulkSendId, actor, AuditActions.BulkCancel, ct, (db, send, now) =>
        {
            if (send.State is BulkSendState.Finished or BulkSendState.Cancelled)
                return $"This send has already {(send.State == BulkSendState.Finished ? "finished" : "been cancelled")}.";
            var undo = send.State == BulkSendState.Scheduled;
            send.State = BulkSendState.Cancelled;
            send.CancelledAtUtc = now;
            send.CancelledByName = actor.DisplayName;
            return undo ? "" : null;
        }, cancelsPending: true);

    public Task<Outcome> PauseAsync(long bulkSendId, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(bulkSendId, actor, AuditActions.BulkPause, ct, (db, send, now) =>
        {
            if (send.State is not (BulkSendState.Sending or BulkSendState.Scheduled))
                return send.State == BulkSendState.Paused ? "This send is already paused." : "Only a send that has not finished can be paused.";
            send.State = BulkSendState.Paused;
            send.PausedByName = actor.DisplayName;
            return null;
        });

    public Task<Outcome> ResumeAsync(long bulkSendId, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(bulkSendId, actor, AuditActions.BulkResume, ct, (db, send, now) =>
        {
            if (send.State != BulkSendState.Paused)
                return "Only a paused send can be resumed.";
            send.State = send.StartedAtUtc is null ? BulkSendState.Scheduled : BulkSendState.Sending;
            send.PausedByName = null;
            // The throttle starts again from now: a long pause does not buy a burst.
            if (send.StartedAtUtc is not null)
                send.LastReleaseAtUtc = now;
            return null;
        });

    /// <param name="apply">Changes the send, or returns why it cannot (an empty string: done, audited as an undo).</param>
    private async Task<Outcome> ChangeAsync(long bulkSendId, StaffActor actor, string action, CancellationToken ct,
        Func<PortalDbContext, BulkSend, DateTime, string?> apply, bool cancelsPending = false)
    {
        if (!MaySend(actor))
            return Outcome.Refuse(NotAllowed);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The runner holds the same row while it prepares a batch: a pause or cancel waits for that batch, never splits it.
        await using var tx = await WriteLock.BeginAsync<BulkSend>(db, bulkSendId, ct);
        var send = await db.BulkSends.SingleOrDefaultAsync(b => b.Id == bulkSendId, ct);
        if (send is null)
            return Outcome.Refuse("This bulk send no longer exists.");
        var now = time.GetUtcNow().UtcDateTime;
        var refusal = apply(db, send, now);
        if (refusal is { Length: > 0 })
            return Outcome.Refuse(refusal);
        var isUndo = refusal == "";
        audit.Add(db, actor, isUndo ? AuditActions.BulkUndo : action, null, AuditOutcome.Succeeded, $"Bulk send {send.Id} '{send.Title}'");
        await db.SaveChangesAsync(ct);
        if (cancelsPending)
            await db.BulkRecipients.Where(r => r.BulkSendId == bulkSendId && r.Status == BulkRecipientStatus.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, BulkRecipientStatus.Cancelled).SetProperty(r => r.ProcessedAtUtc, now), ct);
        await tx.CommitAsync(ct);
        signal.Notify();
        events.Publish(send.Id);
        return Outcome.Ok;
    }

    private static async Task<string> DescribeAsync(PortalDbContext db, BulkAudienceFilter filter, CancellationToken ct)
    {
        var text = filter.Kind switch
        {
            BulkAudienceKind.PortalAccounts => "All patients with a portal account",
            BulkAudienceKind.NotYetInvited => "Patients not yet invited",
            BulkAudienceKind.InviteExpired => "Patients whose invite expired",
            BulkAudienceKind.HandPicked => $"{filter.ClientIds!.Distinct().Count()} patients picked by hand",
            _ when filter.FromDay == filter.ToDay => $"Appointments on {Components.Shared.Dates.Format(filter.FromDay!.Value)}",
            _ => $"Appointments {Components.Shared.Dates.Format(filter.FromDay!.Value)} to {Components.Shared.Dates.Format(filter.ToDay!.Value)}",
        };
        if (filter.PractitionerId is { } practitionerId)
            text += $" with {await db.Practitioners.Where(p => p.Id == practitionerId).Select(p => p.DisplayName).SingleOrDefaultAsync(ct) ?? "a removed practitioner"}";
        if (filter.AppointmentTypeId is { } typeId)
            text += $", type {await db.AppointmentTypes.Where(t => t.Id == typeId).Select(t => t.Name).SingleOrDefaultAsync(ct) ?? "removed"}";
        return Bounded(text, BulkSend.MaxAudienceDescriptionLength);
    }

    private static string Bounded(string text, int max) => text.Length <= max ? text : text[..max];
}
