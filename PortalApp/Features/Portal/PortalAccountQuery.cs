using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Portal;

/// <summary>
/// Who a portal account may see today: its own client card, unless end-dated, and every active caregiver access
/// whose end date has not come and whose patient's (and caregiver's) client card is not end-dated.
/// </summary>
public static class PortalAccountQuery
{
    /// <returns>null when the account is gone or its security stamp changed (a password change ends other sessions).</returns>
    public static async Task<PortalAccount?> LoadAsync(PortalDbContext db, string? userId, string? securityStamp, DateOnly today, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(userId))
            return null;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.DisplayName, u.ClientId, u.SecurityStamp }).SingleOrDefaultAsync(ct);
        if (user is null || (securityStamp is not null && user.SecurityStamp != securityStamp))
            return null;

        var patients = new List<PortalPatient>();
        if (user.ClientId is { } ownId)
        {
            var own = await db.Clients.AsNoTracking().Where(c => c.Id == ownId)
                .Select(c => new { c.FirstName, c.LastName, c.PreferredName, c.EndDate }).SingleAsync(ct);
            // A caregiver whose own client card is end-dated loses everything, not only their own record.
            if (own.EndDate is { } ended && ended <= today)
                return new PortalAccount(userId, user.DisplayName, []);
            patients.Add(new PortalPatient(ownId, own.FirstName, own.LastName, own.PreferredName, true, CaregiverAccessLevel.Full, null));
        }

        var cared = await db.CaregiverAccesses.AsNoTracking().WorkingOn(today).Where(a => a.PortalUserId == userId)
            .OrderBy(a => a.PatientClient.FirstName).ThenBy(a => a.PatientClient.LastName).ThenBy(a => a.Id)
            .Select(a => new PortalPatient(a.PatientClientId, a.PatientClient.FirstName, a.PatientClient.LastName, a.PatientClient.PreferredName, false, a.Level, a.Relationship))
            .ToListAsync(ct);
        patients.AddRange(cared.Where(p => patients.All(known => known.ClientId != p.ClientId)));
        return new PortalAccount(userId, user.DisplayName, patients);
    }
}
