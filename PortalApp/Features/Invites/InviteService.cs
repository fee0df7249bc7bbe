using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Invites;

/// <summary>Patient portal invites: preview, send, re-send (which kills every older link), revoke.</summary>
public sealed class InviteService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TemplateService templates,
    InviteEmailRenderer emails,
    EmailOutbox outbox,
    ClinicSettingsService clinic,
    ClinicClock clock,
    AuditLog audit,
    ILogger<InviteService> logger)
{
    public async Task<PatientMessagingState?> GetStateAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null)
            return null;
        var latest = await db.PortalInvites.AsNoTracking().Include(i => i.OutboxEmail)
            .OwnedBy(clientId).OrderByDescending(i => i.Id).FirstOrDefaultAsync(ct);
        var today = await clock.TodayAsync(ct);
        var readers = await Messaging.PortalReaders.ForPatientAsync(db, clientId, today, ct);
        return new PatientMessagingState(
            client.Id, $"{client.FirstName} {client.LastName}", client.Email,
            string.IsNullOrWhiteSpace(client.Email) ? InviteMessages.NoEmail
                : EmailAddressRules.Problem(client.Email) is { } problem ? InviteMessages.BadEmail(problem) : null,
            client.EndDate, client.IsEndedOn(today),
            latest is null ? null : ToView(latest, clock.UtcNow),
            await templates.ListAsync(TemplateKind.PortalInvite, ct),
            readers.Any(r => r.IsPatient),
            readers.Where(r => !r.IsPatient).Select(r => r.Name).ToList());
    }

    /// <summary>Exactly what <see cref="SendAsync"/> would send, but with the personal link masked (it does not exist yet).</summary>
    public async Task<TemplateEmailResult> PreviewAsync(int clientId, int templateId, StaffActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, ct);
        var template = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId && t.Kind == TemplateKind.PortalInvite, ct);
        if (client is null)
            return new TemplateEmailResult.Failed(InviteMessages.ClientGone);
        if (template is null)
            return new TemplateEmailResult.Failed(InviteMessages.TemplateGone);
        var expires = clock.UtcNow.AddDays((await clinic.GetAsync(ct)).InviteExpiryDays);
        return await emails.RenderAsync(template, client, actor, InviteEmailRenderer.PreviewToken, expires);
    }

    public async Task<InviteSendResult> SendAsync(int clientId, int templateId, StaffActor actor, bool resend, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Two sends for one patient queue behind each other instead of both passing the check below.
        await using var tx = await WriteLock.BeginAsync<Client>(db, clientId, ct);
        var now = clock.UtcNow;
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null)
            return Refuse(InviteMessages.ClientGone);
        if (client.IsEndedOn(await clock.TodayAsync(ct)))
            return await RefuseAuditedAsync(db, tx, actor, client.Id, InviteMessages.ClientEnded, ct);
        var template = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId && t.Kind == TemplateKind.PortalInvite, ct);
        if (template is null)
            return Refuse(InviteMessages.TemplateGone);
        var added = await AddAsync(db, client, template, actor, resend, now, ct);
        if (added.Invite is not { } invite)
            return Refuse(added.Refusal!);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
        {
            // The one-pending-invite index caught a race the transaction did not (e.g. another process).
            return Refuse(InviteMessages.AlreadyPending);
        }
        catch (Exception ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            logger.LogError("Invite for client {ClientId} not saved: storage problem ({ErrorType})", clientId, ex.GetType().Name);
            return Refuse(DatabaseFailures.Message);
        }
        outbox.WakeDispatcher();
        logger.LogInformation("Portal invite {InviteId} queued for client {ClientId}", invite.Id, client.Id);
        return new InviteSendResult.Sent(ToView(invite, now));
    }

    /// <summary>
    /// The invite itself, for one patient the caller has loaded and checked as current (not end-dated) inside a
    /// transaction holding the client's write lock: the checks, the pending invite with its hashed token, the email and
    /// the audit row, added to <paramref name="db"/> and not saved. Send uses it for one patient, a bulk invite for each.
    /// </summary>
    public async Task<InviteAddResult> AddAsync(PortalDbContext db, Client client, MessageTemplate template, StaffActor actor, bool resend, DateTime now, CancellationToken ct)
    {
        var clientId = client.Id;
        if (string.IsNullOrWhiteSpace(client.Email))
            return InviteAddResult.Refuse(InviteMessages.NoEmail);
        if (EmailAddressRules.Problem(client.Email) is { } emailProblem)
            return InviteAddResult.Refuse(InviteMessages.BadEmail(emailProblem));

        var open = await db.PortalInvites.OwnedBy(clientId).Where(i => i.Status == InviteStatus.Pending).ToListAsync(ct);
        if (await db.PortalInvites.OwnedBy(clientId).AnyAsync(i => i.Status == InviteStatus.Registered, ct) || await db.Users.AnyAsync(u => u.ClientId == clientId, ct))
            return InviteAddResult.Refuse(InviteMessages.AlreadyRegistered);
        if (!resend && open.Any(i => i.ExpiresAtUtc > now))
            return InviteAddResult.Refuse(InviteMessages.AlreadyPending);

        var expires = now.AddDays((await clinic.GetAsync(ct)).InviteExpiryDays);
        var rendered = await emails.RenderAsync(template, client, actor, OutboxEmail.SecretMarker, expires);
        if (rendered is not TemplateEmailResult.Rendered { Content: var content })
            return InviteAddResult.Refuse(((TemplateEmailResult.Failed)rendered).Problem);

        InviteRecords.Supersede(open, now, actor);
        var invite = InviteRecords.AddPending(db, outbox, client.Id, null, (client.Email, $"{client.FirstName} {client.LastName}", "invite"),
            template, content, actor, now, expires);
        audit.Add(db, actor, resend || open.Count > 0 ? AuditActions.InviteResend : AuditActions.InviteSend, client.Id, AuditOutcome.Succeeded,
            $"Template '{template.Name}'{(open.Count > 0 ? $"; replaced invite {string.Join(", ", open.Select(o => o.Id))}" : "")}");
        return new InviteAddResult(invite, null);
    }

    public async Task<Outcome> RevokeAsync(int clientId, StaffActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.PortalInvites.OwnedBy(clientId).Where(i => i.Status == InviteStatus.Pending).ToListAsync(ct);
        if (open.Count == 0)
            return Outcome.Refuse(InviteMessages.NothingToRevoke);
        foreach (var invite in open)
        {
            invite.Status = InviteStatus.Revoked;
            invite.EndedAtUtc = clock.UtcNow;
            invite.EndedByName = actor.DisplayName;
            audit.Add(db, actor, AuditActions.InviteRevoke, clientId, AuditOutcome.Succeeded, $"Invite {invite.Id}");
        }
        await db.SaveChangesAsync(ct);
        return Outcome.Ok;
    }

    /// <summary>
    /// End-dating a client closes, in the caller's transaction, every open invite to their portal (theirs and their
    /// caregivers') and every open invite they had as someone else's caregiver.
    /// </summary>
    public static async Task CancelOpenInvitesAsync(PortalDbContext db, AuditLog audit, int clientId, StaffActor actor, DateTime now, CancellationToken ct)
    {
        var open = await db.PortalInvites
            .Where(i => i.Status == InviteStatus.Pending && (i.ClientId == clientId || i.CaregiverAccess!.CaregiverClientId == clientId))
            .ToListAsync(ct);
        Cancel(db, audit, open, actor, now, invite => invite.ClientId == clientId ? "client end-dated" : "caregiver's client card end-dated");
    }

    /// <summary>
    /// A corrected email address closes, in the caller's transaction, the open invites whose link went to the old one:
    /// the patient's own, and those the client has as someone's caregiver (whose grant takes the new address for the
    /// re-send). Invites to this patient's caregivers went to the caregivers' own addresses and stay.
    /// </summary>
    /// <returns>How many were cancelled: staff are told to re-send.</returns>
    public static async Task<int> CancelInvitesToOldAddressAsync(PortalDbContext db, AuditLog audit, Client client, StaffActor actor, DateTime now, CancellationToken ct)
    {
        var open = await db.PortalInvites.Include(i => i.CaregiverAccess)
            .Where(i => i.Status == InviteStatus.Pending
                && ((i.ClientId == client.Id && i.CaregiverAccessId == null) || i.CaregiverAccess!.CaregiverClientId == client.Id))
            .ToListAsync(ct);
        foreach (var access in open.Select(i => i.CaregiverAccess).OfType<CaregiverAccess>().Where(a => a.Status == CaregiverAccessStatus.Invited && client.Email is not null))
            (access.Email, access.NormalizedEmail) = (client.Email!, EmailAddressRules.Normalize(client.Email!));
        Cancel(db, audit, open, actor, now, _ => "email address changed");
        return open.Count;
    }

    private static void Cancel(PortalDbContext db, AuditLog audit, List<PortalInvite> open, StaffActor actor, DateTime now, Func<PortalInvite, string> why)
    {
        foreach (var invite in open)
        {
            invite.Status = InviteStatus.Cancelled;
            invite.EndedAtUtc = now;
            invite.EndedByName = actor.DisplayName;
            audit.Add(db, actor, AuditActions.InviteCancel, invite.ClientId, AuditOutcome.Succeeded,
                $"{(invite.CaregiverAccessId is null ? "Invite" : "Caregiver invite")} {invite.Id}: {why(invite)}");
        }
    }

    private static InviteSendResult Refuse(string reason) => new InviteSendResult.Refused(reason);

    private async Task<InviteSendResult> RefuseAuditedAsync(PortalDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, StaffActor actor, int clientId, string reason, CancellationToken ct)
    {
        audit.Add(db, actor, AuditActions.InviteSend, clientId, AuditOutcome.Refused, "Client end-dated");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Refuse(reason);
    }

    internal static InviteView ToView(PortalInvite i, DateTime now) => new(
        i.Id, i.Status, i.Status == InviteStatus.Pending && i.ExpiresAtUtc <= now, i.CreatedAtUtc, i.ExpiresAtUtc, i.SentByName,
        i.TemplateName, i.Subject, i.BodyHtml, i.BodyText,
        i.OutboxEmail?.Status, i.OutboxEmail?.LastError, i.OutboxEmail?.SentAtUtc, i.EndedAtUtc, i.EndedByName);
}

/// <summary>The invite added to the caller's DbContext, or why there is none.</summary>
public sealed record InviteAddResult(PortalInvite? Invite, string? Refusal)
{
    public static InviteAddResult Refuse(string reason) => new(null, reason);
}
