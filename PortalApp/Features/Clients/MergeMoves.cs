using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.Clients;

/// <summary>Counts of what a merge moved; its text goes to the audit log and the snackbar.</summary>
public sealed record MergeMoved(int Appointments, int Invites, int InvitesCancelled, int Conversations, int Grants, int GrantsEnded, bool PortalAccount, int Emails,
    int IntakeForms = 0)
{
    public override string ToString() =>
        $"{Appointments} appointment(s), {Invites} invite(s), {Conversations} conversation(s), {Grants} caregiver grant(s), "
        + $"{Emails} email log row(s){(PortalAccount ? ", the portal account" : "")}"
        + (IntakeForms > 0 ? $", {IntakeForms} intake form(s) with their responses" : "")
        + (InvitesCancelled > 0 ? $"; {InvitesCancelled} open portal invite(s) of the merged card cancelled" : "")
        + (GrantsEnded > 0 ? $"; {GrantsEnded} duplicate caregiver grant(s) ended" : "");
}

/// <summary>
/// What a merge moves from the other card to the survivor, in the caller's transaction, and how each unique rule
/// (one open grant per caregiver email and patient, one pending patient invite per client, one pending invite per grant,
/// one portal account per client) is kept.
/// </summary>
internal static class MergeMoves
{
    public static async Task<MergeMoved> MoveAsync(
        PortalDbContext db, AuditLog audit, Client survivor, Client other, StaffActor actor, DateTime now, CancellationToken ct)
    {
        var appointments = await db.Appointments.Where(a => a.ClientId == other.Id).ToListAsync(ct);
        foreach (var appointment in appointments)
        {
            appointment.ClientId = survivor.Id;
            appointment.UpdatedAtUtc = now;
            db.AppointmentChanges.Add(new AppointmentChange
            {
                AppointmentId = appointment.Id, Kind = AppointmentChangeKind.MovedByMerge, AtUtc = now,
                StaffUserId = actor.UserId, StaffDisplayName = actor.DisplayName,
                Details = $"Moved from client card {other.Id} to {survivor.Id}",
            });
        }

        var (grants, grantsEnded) = await MoveGrantsAsync(db, survivor, other, actor, now, ct);

        // The merged card's own invite links were sent with its details: they stop, and staff re-send from the survivor
        // (which also keeps "one pending patient invite per client" whatever the survivor has open).
        var invites = await db.PortalInvites.Where(i => i.ClientId == other.Id).ToListAsync(ct);
        var cancelled = 0;
        foreach (var invite in invites)
        {
            if (invite.CaregiverAccessId is null && invite.Status == InviteStatus.Pending)
            {
                (invite.Status, invite.EndedAtUtc, invite.EndedByName) = (InviteStatus.Cancelled, now, actor.DisplayName);
                audit.Add(db, actor, AuditActions.InviteCancel, other.Id, AuditOutcome.Succeeded, $"Invite {invite.Id}: card merged into client {survivor.Id}");
                cancelled++;
            }
            invite.ClientId = survivor.Id;
        }

        var conversations = await db.Conversations.Where(c => c.ClientId == other.Id).ToListAsync(ct);
        conversations.ForEach(c => c.ClientId = survivor.Id);
        var emails = await db.OutboxEmails.Where(e => e.ClientId == other.Id).ToListAsync(ct);
        emails.ForEach(e => e.ClientId = survivor.Id);
        // Sent forms and their responses are the person's history: the survivor's Intake forms tab and compare view need them.
        var forms = await db.FormAssignments.Where(a => a.ClientId == other.Id).ToListAsync(ct);
        forms.ForEach(a => a.ClientId = survivor.Id);
        var responses = await db.FormResponses.Where(r => r.ClientId == other.Id).ToListAsync(ct);
        responses.ForEach(r => r.ClientId = survivor.Id);

        // ProblemAsync refused the merge when both cards have an account, so this cannot make a second one.
        var account = await db.Users.SingleOrDefaultAsync(u => u.ClientId == other.Id, ct);
        if (account is not null)
            account.ClientId = survivor.Id;

        return new MergeMoved(appointments.Count, invites.Count, cancelled, conversations.Count, grants, grantsEnded, account is not null, emails.Count,
            Math.Max(forms.Count, responses.Count));
    }

    /// <summary>
    /// Grants on either side move. When the same caregiver email then has two open grants for the survivor, the one that
    /// works (Active over Invited; the survivor's on a tie) stays and the other is ended, with its pending invite cancelled.
    /// </summary>
    private static async Task<(int Moved, int Ended)> MoveGrantsAsync(
        PortalDbContext db, Client survivor, Client other, StaffActor actor, DateTime now, CancellationToken ct)
    {
        var grants = await db.CaregiverAccesses
            .Where(g => g.PatientClientId == other.Id || g.CaregiverClientId == other.Id || g.PatientClientId == survivor.Id)
            .ToListAsync(ct);
        var moving = grants.Where(g => g.PatientClientId == other.Id || g.CaregiverClientId == other.Id).ToList();
        int PatientAfter(CaregiverAccess g) => g.PatientClientId == other.Id ? survivor.Id : g.PatientClientId;

        var ended = 0;
        foreach (var sameCaregiver in grants.Where(g => g.Status != CaregiverAccessStatus.Ended && PatientAfter(g) == survivor.Id)
                     .GroupBy(g => g.NormalizedEmail).Where(group => group.Count() > 1))
        {
            var keep = sameCaregiver.OrderBy(g => g.Status == CaregiverAccessStatus.Active ? 0 : 1)
                .ThenBy(g => moving.Contains(g) ? 1 : 0).First();
            foreach (var grant in sameCaregiver.Where(g => g != keep))
            {
                (grant.Status, grant.EndedAtUtc, grant.EndedByName) = (CaregiverAccessStatus.Ended, now, actor.DisplayName);
                grant.EndReason = $"Cards merged: the caregiver keeps grant {keep.Id}";
                var pending = await db.PortalInvites.Where(i => i.CaregiverAccessId == grant.Id && i.Status == InviteStatus.Pending).ToListAsync(ct);
                pending.ForEach(i => (i.Status, i.EndedAtUtc, i.EndedByName) = (InviteStatus.Cancelled, now, actor.DisplayName));
                ended++;
            }
        }
        // Ended first, in a save of their own: the one-open-grant index is checked row by row, and the kept grant must
        // never meet the one it replaces.
        if (ended > 0)
            await db.SaveChangesAsync(ct);

        foreach (var grant in moving)
        {
            grant.PatientClientId = PatientAfter(grant);
            if (grant.CaregiverClientId == other.Id)
                grant.CaregiverClientId = survivor.Id;
            // Ended history between the two cards would now point from the person to themselves: it keeps the copied
            // names on the row and loses only the link to the card.
            if (grant.CaregiverClientId == grant.PatientClientId)
                grant.CaregiverClientId = null;
        }
        return (moving.Count, ended);
    }
}
