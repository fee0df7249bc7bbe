using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Messaging;

/// <summary>Someone who reads a patient's messages in the portal: the patient's own account, or a caregiver with full access.</summary>
public sealed record PortalReader(string UserId, string Name, string Email, bool IsPatient);

public static class PortalReaders
{
    /// <summary>Everyone who can read this patient's messages today (the patient's own client card being active is the caller's check).</summary>
    public static async Task<IReadOnlyList<PortalReader>> ForPatientAsync(PortalDbContext db, int clientId, DateOnly today, CancellationToken ct)
    {
        var own = await db.Users.AsNoTracking().Where(u => u.ClientId == clientId && u.Email != null)
            .Select(u => new PortalReader(u.Id, u.DisplayName, u.Email!, true)).ToListAsync(ct);
        var caregivers = await db.CaregiverAccesses.AsNoTracking()
            .Where(a => a.PatientClientId == clientId && a.Status == CaregiverAccessStatus.Active && a.Level == CaregiverAccessLevel.Full
                && a.PortalUserId != null && (a.EndsOn == null || a.EndsOn > today)
                && (a.CaregiverClientId == null || a.CaregiverClient!.EndDate == null || a.CaregiverClient.EndDate > today))
            .Join(db.Users, a => a.PortalUserId, u => u.Id, (a, u) => new { u.Id, u.DisplayName, u.Email, u.ClientId })
            .ToListAsync(ct);
        // A caregiver whose own client card is end-dated has lost all access (PortalAccountQuery): no notices either.
        var ownCards = caregivers.Where(c => c.ClientId != null).Select(c => c.ClientId!.Value).ToList();
        var endedCards = await db.Clients.AsNoTracking().Where(c => ownCards.Contains(c.Id) && c.EndDate != null && c.EndDate <= today).Select(c => c.Id).ToListAsync(ct);
        return [.. own, .. caregivers.Where(c => c.Email is not null && !(c.ClientId is { } card && endedCards.Contains(card)))
            .Select(c => new PortalReader(c.Id, c.DisplayName, c.Email!, false))];
    }
}
