using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Invites;

namespace PortalApp.Features.Clients;

/// <summary>
/// What a client's end date does, whichever screen set it: from that day the patient's portal sign-in and every caregiver
/// grant on either side of the card stop (CaregiverAccessQueries reads the date on each request), and once the day has come
/// the open portal invites are cancelled so no link registers onto an ended card.
/// </summary>
public static class ClientEndDates
{
    public const string WhatItDoes =
        "From this day the patient can no longer sign in to the portal, their open portal invites are cancelled, "
        + "and caregiver access to this card (and this person's access as a caregiver) stops. Past records stay.";

    /// <summary>Call after <paramref name="client"/>'s EndDate changed, before SaveChanges: it commits with the change.</summary>
    public static async Task ApplyAsync(PortalDbContext db, AuditLog audit, Client client, StaffActor actor, DateOnly today, DateTime now, CancellationToken ct)
    {
        if (client.IsEndedOn(today))
            await InviteService.CancelOpenInvitesAsync(db, audit, client.Id, actor, now, ct);
        // The date itself stays out of the log: when someone left the clinic is theirs, not the log's.
        audit.Add(db, actor, AuditActions.ClientEndDate, client.Id, AuditOutcome.Succeeded,
            client.EndDate is null ? "End date removed" : client.IsEndedOn(today) ? "End date set (today or earlier)" : "End date set (in the future)");
    }
}
