using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Caregivers;

/// <summary>
/// Caregiver invites from the client card's Patient portal tab: check and preview (for the confirmation dialog), send,
/// re-send. The link works like a patient's: 256 random bits, only the hash stored, single use, expiring.
/// </summary>
public sealed class CaregiverInviteService(
    IDbContextFactory<PortalDbContext> dbFactory,
    InviteEmailRenderer emails,
    EmailOutbox outbox,
    ClinicSettingsService clinic,
    ClinicClock clock,
    AuditLog audit,
    ILogger<CaregiverInviteService> logger)
{
    /// <summary>Everything the confirmation dialog shows; nothing is saved or sent.</summary>
    public async Task<CaregiverPrepareResult> PrepareAsync(int patientId, CaregiverInviteForm form, StaffActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var resolved = await ResolveAsync(db, patientId, form, ct);
        if (resolved.Errors.Count > 0)
            return new CaregiverPrepareResult.Invalid(resolved.Errors);
        var c = resolved.Caregiver!;
        var expires = clock.UtcNow.AddDays((await clinic.GetAsync(ct)).InviteExpiryDays);
        var rendered = await emails.RenderForCaregiverAsync(resolved.Template!, resolved.Patient!, c.FirstName, c.LastName, c.Relationship, c.Level,
            actor, InviteEmailRenderer.PreviewToken, expires);
        if (rendered is not TemplateEmailResult.Rendered { Content: var content })
            return Invalid("TemplateId", ((TemplateEmailResult.Failed)rendered).Problem);
        return new CaregiverPrepareResult.Ready(new CaregiverInviteSummary(
            c.FullName, c.Email, $"{resolved.Patient!.FirstName} {resolved.Patient.LastName}", c.Relationship, c.Level, c.EndsOn,
            c.CaregiverClientId is not null, resolved.Template!.Name, content));
    }

    public async Task<CaregiverSendResult> SendAsync(int patientId, CaregiverInviteForm form, StaffActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Two sends for one patient's caregivers queue behind each other instead of both passing the checks.
        await using var tx = await WriteLock.BeginAsync<Client>(db, patientId, ct);
        var resolved = await ResolveAsync(db, patientId, form, ct);
        if (resolved.PatientEnded)
        {
            audit.Add(db, actor, AuditActions.CaregiverInviteSend, patientId, AuditOutcome.Refused, "Client end-dated");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new CaregiverSendResult.Invalid(resolved.Errors);
        }
        if (resolved.Errors.Count > 0)
            return new CaregiverSendResult.Invalid(resolved.Errors);

        var now = clock.UtcNow;
        var access = db.CaregiverAccesses.Add(resolved.Caregiver!).Entity;
        access.PatientClientId = patientId;
        access.Status = CaregiverAccessStatus.Invited;
        access.CreatedAtUtc = now;
        access.CreatedByUserId = actor.UserId;
        access.CreatedByName = actor.DisplayName;
        if (await AddInviteAsync(db, access, resolved.Patient!, resolved.Template!, actor, now, ct) is Outcome.Refused { Reason: var problem })
            return new CaregiverSendResult.Invalid(new Dictionary<string, string> { ["TemplateId"] = problem });
        audit.Add(db, actor, AuditActions.CaregiverInviteSend, patientId, AuditOutcome.Succeeded,
            $"Caregiver {access.FullName} ({CaregiverText.Relationship(access.Relationship)}), {CaregiverText.Level(access.Level)}");
        if (await SaveAsync(db, tx, ct) is Outcome.Refused { Reason: var unsaved })
            return new CaregiverSendResult.Invalid(new Dictionary<string, string> { [""] = unsaved });
        outbox.WakeDispatcher();
        logger.LogInformation("Caregiver invite for access {AccessId} to client {ClientId} queued", access.Id, patientId);
        return new CaregiverSendResult.Sent(access.Id);
    }

    /// <summary>A new link for a caregiver who has not registered yet; every older link stops working.</summary>
    public async Task<Outcome> ResendAsync(int patientId, long accessId, StaffActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await WriteLock.BeginAsync<Client>(db, patientId, ct);
        var access = await db.CaregiverAccesses.Include(a => a.PatientClient).Include(a => a.CaregiverClient)
            .SingleOrDefaultAsync(a => a.Id == accessId && a.PatientClientId == patientId, ct);
        var today = await clock.TodayAsync(ct);
        var refusal = access switch
        {
            null => CaregiverMessages.AccessGone,
            { Status: CaregiverAccessStatus.Active } => CaregiverMessages.AlreadyActive(access.FullName),
            { Status: CaregiverAccessStatus.Ended } => CaregiverMessages.AlreadyEnded,
            _ => access.PauseOn(today) switch
            {
                CaregiverAccessPause.PatientEnded => CaregiverMessages.PatientEnded,
                CaregiverAccessPause.CaregiverEnded => CaregiverMessages.CaregiverEnded(access.FullName),
                CaregiverAccessPause.PastEndDate => CaregiverMessages.AccessExpired,
                _ => null,
            },
        };
        if (refusal is not null)
            return Outcome.Refuse(refusal);
        var lastTemplateId = await db.PortalInvites.Where(i => i.CaregiverAccessId == accessId).OrderByDescending(i => i.Id).Select(i => i.TemplateId).FirstOrDefaultAsync(ct);
        var template = await db.MessageTemplates.AsNoTracking().Where(t => t.Kind == TemplateKind.CaregiverInvite)
            .OrderByDescending(t => t.Id == lastTemplateId).ThenByDescending(t => t.IsDefault).FirstOrDefaultAsync(ct);
        if (template is null)
            return Outcome.Refuse(CaregiverMessages.NoTemplate);

        var now = clock.UtcNow;
        var open = await db.PortalInvites.Where(i => i.CaregiverAccessId == accessId && i.Status == InviteStatus.Pending).ToListAsync(ct);
        InviteRecords.Supersede(open, now, actor);
        if (await AddInviteAsync(db, access!, access!.PatientClient, template, actor, now, ct) is Outcome.Refused notAdded)
            return notAdded;
        audit.Add(db, actor, AuditActions.CaregiverInviteResend, patientId, AuditOutcome.Succeeded, $"Caregiver {access.FullName}");
        if (await SaveAsync(db, tx, ct) is Outcome.Refused notSaved)
            return notSaved;
        outbox.WakeDispatcher();
        return Outcome.Ok;
    }

    private async Task<Outcome> AddInviteAsync(PortalDbContext db, CaregiverAccess access, Client patient, MessageTemplate template, StaffActor actor, DateTime now, CancellationToken ct)
    {
        var expires = now.AddDays((await clinic.GetAsync(ct)).InviteExpiryDays);
        var rendered = await emails.RenderForCaregiverAsync(template, patient, access.FirstName, access.LastName, access.Relationship, access.Level,
            actor, OutboxEmail.SecretMarker, expires);
        if (rendered is not TemplateEmailResult.Rendered { Content: var content })
            return Outcome.Refuse(((TemplateEmailResult.Failed)rendered).Problem);
        InviteRecords.AddPending(db, outbox, patient.Id, access, (access.Email, access.FullName, "caregiver-invite"), template, content, actor, now, expires);
        return Outcome.Ok;
    }

    private async Task<Outcome> SaveAsync(PortalDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return Outcome.Ok;
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
        {
            // A unique index caught a race the transaction did not (e.g. another process).
            return Outcome.Refuse(CaregiverMessages.AlreadyInvited);
        }
        catch (Exception ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            logger.LogError("Caregiver invite not saved: storage problem ({ErrorType})", ex.GetType().Name);
            return Outcome.Refuse(DatabaseFailures.Message);
        }
    }

    private sealed record Resolved(Client? Patient, bool PatientEnded, CaregiverAccess? Caregiver, MessageTemplate? Template, Dictionary<string, string> Errors);

    /// <summary>Every check an invite must pass, with the caregiver's details taken from their client card when staff picked one.</summary>
    private async Task<Resolved> ResolveAsync(PortalDbContext db, int patientId, CaregiverInviteForm form, CancellationToken ct)
    {
        var today = await clock.TodayAsync(ct);
        var patient = await db.Clients.SingleOrDefaultAsync(c => c.Id == patientId, ct);
        if (patient is null)
            return new(null, false, null, null, new() { [""] = CaregiverMessages.PatientGone });
        if (patient.IsEndedOn(today))
            return new(patient, true, null, null, new() { [""] = CaregiverMessages.PatientEnded });

        var errors = CaregiverRules.Validate(form, today, fromClientCard: form.CaregiverClientId is not null);
        var (first, last, email, phone) = (form.FirstName?.Trim() ?? "", form.LastName?.Trim() ?? "", form.Email?.Trim() ?? "", Blank(form.Phone));
        if (form.CaregiverClientId is { } caregiverId)
        {
            var card = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caregiverId, ct);
            var cardProblem = card switch
            {
                null => CaregiverMessages.CaregiverGone,
                _ when card.Id == patientId => CaregiverMessages.OwnCaregiver,
                _ when card.IsEndedOn(today) => CaregiverMessages.CaregiverEnded($"{card.FirstName} {card.LastName}"),
                _ when string.IsNullOrWhiteSpace(card.Email) => CaregiverMessages.CardWithoutEmail($"{card.FirstName} {card.LastName}"),
                _ when EmailAddressRules.Problem(card.Email) is { } problem => $"{card.FirstName} {card.LastName}'s client card: {problem}",
                _ => null,
            };
            if (cardProblem is not null)
                errors.TryAdd(nameof(form.CaregiverClientId), cardProblem);
            else
                // The card keeps E.164 for dialling; the grant keeps a phone as people read it, like one typed in the form.
                (first, last, email, phone) = (card!.FirstName, card.LastName, card.Email!.Trim(),
                    card.MobilePhone is null ? null : PhoneNumberRules.Display(card.MobilePhone, await db.ClinicSettings.Select(s => s.PhoneRegion).SingleAsync(ct)));
        }

        if (!errors.ContainsKey(nameof(form.Email)) && !errors.ContainsKey(nameof(form.CaregiverClientId)) && email.Length > 0)
        {
            var emailField = form.CaregiverClientId is null ? nameof(form.Email) : nameof(form.CaregiverClientId);
            if (await EmailProblemAsync(db, patient, first, last, email, ct) is { } problem)
                errors.TryAdd(emailField, problem);
        }

        var template = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == form.TemplateId && t.Kind == TemplateKind.CaregiverInvite, ct);
        if (template is null)
            errors.TryAdd(nameof(form.TemplateId), CaregiverMessages.TemplateGone);
        if (errors.Count > 0)
            return new(patient, false, null, template, errors);

        return new(patient, false, new CaregiverAccess
        {
            CaregiverClientId = form.CaregiverClientId,
            FirstName = first,
            LastName = last,
            Email = email,
            NormalizedEmail = EmailAddressRules.Normalize(email),
            Phone = phone,
            Relationship = form.Relationship!.Value,
            Level = form.Level,
            EndsOn = form.EndsOn,
            Note = Blank(form.Note),
        }, template, errors);
    }

    private static async Task<string?> EmailProblemAsync(PortalDbContext db, Client patient, string first, string last, string email, CancellationToken ct)
    {
        var normalized = EmailAddressRules.Normalize(email);
        var patientName = $"{patient.FirstName} {patient.LastName}";
        if (patient.Email is { } own && EmailAddressRules.Normalize(own) == normalized)
            return CaregiverMessages.PatientsOwnEmail(patientName);
        var account = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized)
            .Select(u => new { u.ClientId, IsPortal = db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(role => role.Id == r.RoleId && role.Name == StaffRoles.Patient)) })
            .SingleOrDefaultAsync(ct);
        if (account is { IsPortal: false })
            return CaregiverMessages.StaffEmail;
        if (account?.ClientId == patient.Id)
            return CaregiverMessages.PatientsOwnEmail(patientName);
        var open = await db.CaregiverAccesses.AsNoTracking()
            .Where(a => a.PatientClientId == patient.Id && a.NormalizedEmail == normalized && a.Status != CaregiverAccessStatus.Ended)
            .Select(a => (CaregiverAccessStatus?)a.Status).FirstOrDefaultAsync(ct);
        return open switch
        {
            CaregiverAccessStatus.Active => CaregiverMessages.AlreadyHasAccess($"{first} {last}", patientName),
            CaregiverAccessStatus.Invited => CaregiverMessages.AlreadyInvited,
            _ => null,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static CaregiverPrepareResult.Invalid Invalid(string field, string message) => new(new Dictionary<string, string> { [field] = message });
}
