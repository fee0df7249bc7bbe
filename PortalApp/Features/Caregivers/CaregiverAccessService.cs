using PortalApp.Components.Shared;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clients;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Caregivers;

/// <summary>The Patient portal tab: the patient's own portal status, their caregivers, and ending a caregiver's access.</summary>
public sealed class CaregiverAccessService(
    IDbContextFactory<PortalDbContext> dbFactory, TemplateService templates, ClinicSettingsService clinic, ClinicClock clock, AuditLog audit)
{
    public const int CandidateLimit = 8;

    public async Task<PatientPortalState?> GetStateAsync(int patientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var patient = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == patientId, ct);
        if (patient is null)
            return null;
        var today = await clock.TodayAsync(ct);
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        var ended = patient.IsEndedOn(today);
        var now = clock.UtcNow;
        var (own, ownText) = await OwnStatusAsync(db, patient, ended, now, zone, ct);

        var accesses = await db.CaregiverAccesses.AsNoTracking().Include(a => a.PatientClient).Include(a => a.CaregiverClient)
            .Where(a => a.PatientClientId == patientId).ToListAsync(ct);
        var ids = accesses.Select(a => (long?)a.Id).ToList();
        var latestInvites = (await db.PortalInvites.AsNoTracking().Include(i => i.OutboxEmail).Where(i => ids.Contains(i.CaregiverAccessId)).ToListAsync(ct))
            .GroupBy(i => i.CaregiverAccessId!.Value).ToDictionary(g => g.Key, g => g.MaxBy(i => i.Id)!);
        var rows = accesses
            .Select(a => ToRow(a, latestInvites.GetValueOrDefault(a.Id), today, now, zone))
            .OrderBy(r => r.Status == CaregiverRowStatus.Ended).ThenByDescending(r => r.CreatedAtUtc).ToList();
        return new PatientPortalState(patient.Id, $"{patient.FirstName} {patient.LastName}", ended, own, ownText, rows,
            await templates.ListAsync(TemplateKind.CaregiverInvite, ct), await CaresForAsync(db, patientId, ct));
    }

    /// <summary>The patients this client looks after: picked from this card, or through the portal account this card has.</summary>
    private static async Task<List<CaresForRow>> CaresForAsync(PortalDbContext db, int clientId, CancellationToken ct)
    {
        var accountId = await db.Users.Where(u => u.ClientId == clientId).Select(u => u.Id).FirstOrDefaultAsync(ct);
        return await db.CaregiverAccesses.AsNoTracking()
            .Where(a => a.Status != CaregiverAccessStatus.Ended && (a.CaregiverClientId == clientId || (accountId != null && a.PortalUserId == accountId)))
            .OrderBy(a => a.PatientClient.LastName).ThenBy(a => a.PatientClient.FirstName)
            .Select(a => new CaresForRow(a.PatientClientId, a.PatientClient.FirstName + " " + a.PatientClient.LastName, a.Relationship, a.Level, a.Status))
            .ToListAsync(ct);
    }

    /// <summary>Existing clients who could be the caregiver, found as on the Clients page (never the patient themself).</summary>
    public async Task<IReadOnlyList<CaregiverCandidate>> FindCandidatesAsync(int patientId, string? search, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(search) || search.Trim().Length < 2)
            return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = await clock.TodayAsync(ct);
        var candidates = await ClientSearchQuery.Apply(db.Clients.AsNoTracking(), search)
            .Where(c => c.Id != patientId && (c.EndDate == null || c.EndDate > today))
            .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).Take(CandidateLimit)
            .Select(c => new CaregiverCandidate(c.Id, c.FirstName, c.LastName, c.DateOfBirth, c.Email, c.MobilePhone))
            .ToListAsync(ct);
        // Cards keep E.164; the picker shows the number as people read it.
        var region = await db.ClinicSettings.Select(s => s.PhoneRegion).SingleAsync(ct);
        return candidates.Select(c => c with { Phone = c.Phone is null ? null : PhoneNumberRules.Display(c.Phone, region) }).ToList();
    }

    public Task<Outcome> RevokeInviteAsync(int patientId, long accessId, StaffActor actor, CancellationToken ct = default) =>
        EndAsync(patientId, accessId, actor, revokeOnly: true, ct);

    public Task<Outcome> EndAccessAsync(int patientId, long accessId, StaffActor actor, CancellationToken ct = default) =>
        EndAsync(patientId, accessId, actor, revokeOnly: false, ct);

    private async Task<Outcome> EndAsync(int patientId, long accessId, StaffActor actor, bool revokeOnly, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await db.CaregiverAccesses.SingleOrDefaultAsync(a => a.Id == accessId && a.PatientClientId == patientId, ct);
        if (access is null)
            return Outcome.Refuse(CaregiverMessages.AccessGone);
        if (access.Status == CaregiverAccessStatus.Ended)
            return Outcome.Refuse(CaregiverMessages.AlreadyEnded);
        var now = clock.UtcNow;
        var open = await db.PortalInvites.Where(i => i.CaregiverAccessId == accessId && i.Status == InviteStatus.Pending && i.ExpiresAtUtc > now).ToListAsync(ct);
        if (revokeOnly && (access.Status != CaregiverAccessStatus.Invited || open.Count == 0))
            return Outcome.Refuse(CaregiverMessages.NothingToRevoke);
        foreach (var invite in open)
        {
            invite.Status = InviteStatus.Revoked;
            invite.EndedAtUtc = now;
            invite.EndedByName = actor.DisplayName;
        }
        // A revoked invite leaves nothing to register with, so the access it would have given ends with it.
        access.Status = CaregiverAccessStatus.Ended;
        access.EndedAtUtc = now;
        access.EndedByName = actor.DisplayName;
        access.EndReason = revokeOnly ? "Invite revoked" : "Access ended by staff";
        audit.Add(db, actor, revokeOnly ? AuditActions.CaregiverInviteRevoke : AuditActions.CaregiverAccessEnd, patientId, AuditOutcome.Succeeded, $"Caregiver {access.FullName}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Refuse(CaregiverMessages.Conflict);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return Outcome.Refuse(DatabaseFailures.Message);
        }
        return Outcome.Ok;
    }

    private static async Task<(OwnPortalStatus, string)> OwnStatusAsync(PortalDbContext db, Client patient, bool ended, DateTime now, TimeZoneInfo zone, CancellationToken ct)
    {
        if (ended)
            return (OwnPortalStatus.Ended, $"Portal access ended: the client card has an end date ({Dates.Format(patient.EndDate!.Value)}).");
        if (await db.Users.AnyAsync(u => u.ClientId == patient.Id, ct))
            return (OwnPortalStatus.Registered, $"{patient.FirstName} has registered for the portal.");
        var latest = await db.PortalInvites.AsNoTracking().OwnedBy(patient.Id).OrderByDescending(i => i.Id).FirstOrDefaultAsync(ct);
        return latest switch
        {
            null => (OwnPortalStatus.NotInvited, $"{patient.FirstName} has not been invited. Invite them from the Patient messaging tab."),
            { Status: InviteStatus.Pending } when latest.ExpiresAtUtc > now =>
                (OwnPortalStatus.Invited, $"Invited by {latest.SentByName}; the link works until {Dates.FormatDay(latest.ExpiresAtUtc, zone)}."),
            _ => (OwnPortalStatus.Invited, $"Invited, but the last invite is no longer usable ({Describe(latest.Status)}). Re-send it from the Patient messaging tab."),
        };
    }

    private static string Describe(InviteStatus status) => status switch
    {
        InviteStatus.Pending or InviteStatus.Expired => "expired",
        InviteStatus.Locked => "locked after failed identity checks",
        InviteStatus.Cancelled => "cancelled",
        InviteStatus.Revoked => "revoked",
        _ => status.ToString().ToLowerInvariant(),
    };

    internal static CaregiverRow ToRow(CaregiverAccess a, PortalInvite? invite, DateOnly today, DateTime now, TimeZoneInfo zone)
    {
        var (status, text) = (a, a.PauseOn(today)) switch
        {
            ({ Status: CaregiverAccessStatus.Ended }, _) =>
                (CaregiverRowStatus.Ended, $"Ended {Dates.FormatClinicDate(a.EndedAtUtc!.Value, zone)} by {a.EndedByName}: {a.EndReason?.ToLowerInvariant()}"),
            (_, CaregiverAccessPause.PatientEnded) => (CaregiverRowStatus.Paused, "Paused: the patient's client card has an end date"),
            (_, CaregiverAccessPause.CaregiverEnded) => (CaregiverRowStatus.Paused, "Paused: the caregiver's client card has an end date"),
            (_, CaregiverAccessPause.PastEndDate) => (CaregiverRowStatus.Expired, $"Access ended on {Dates.Format(a.EndsOn!.Value)} (its end date)"),
            ({ Status: CaregiverAccessStatus.Active }, _) => (CaregiverRowStatus.Active, $"Active since {Dates.FormatClinicDate(a.ActivatedAtUtc!.Value, zone)}"),
            _ => invite switch
            {
                { Status: InviteStatus.Pending } when invite.ExpiresAtUtc > now =>
                    (CaregiverRowStatus.Invited, $"Invited; the link works until {Dates.FormatDay(invite.ExpiresAtUtc, zone)}"),
                { Status: InviteStatus.Locked } => (CaregiverRowStatus.InviteLocked, "Invite locked after failed identity checks"),
                { Status: InviteStatus.Cancelled } => (CaregiverRowStatus.InviteCancelled, "Invite cancelled: a client card was end-dated"),
                _ => (CaregiverRowStatus.InviteExpired, "Invite expired"),
            },
        };
        // Until the caregiver registers, staff need to know whether the invite email went out (or why not).
        var email = status is CaregiverRowStatus.Invited or CaregiverRowStatus.InviteExpired && invite is not null
            ? "Email: " + Invites.InviteDelivery.Describe(invite.OutboxEmail?.Status, invite.OutboxEmail?.LastError, invite.OutboxEmail?.SentAtUtc, zone)
            : null;
        return new CaregiverRow(a.Id, a.FullName, a.Email, a.Phone, a.Relationship, a.Level, a.EndsOn, a.Note, status, text,
            a.CreatedAtUtc, a.CreatedByName, a.ActivatedAtUtc, a.CaregiverClientId, email);
    }
}
