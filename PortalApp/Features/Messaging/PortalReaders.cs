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
        // A caregiver whose own client card is end-dated has lost all access (PortalAccountQuery): no notices either.
        var caregivers = await db.CaregiverAccesses.AsNoTracking().WorkingOn(today)
            .Where(a => a.PatientClientId == clientId && a.Level == CaregiverAccessLevel.Full)
            .Join(db.Users, a => a.PortalUserId, u => u.Id, (a, u) => u)
            .Where(u => u.Email != null && (u.ClientId == null || !db.Clients.Any(c => c.Id == u.ClientId && c.EndDate != null && c.EndDate <= today)))
            .Select(u => new PortalReader(u.Id, u.DisplayName, u.Email!, false))
            .ToListAsync(ct);
        return [.. own, .. caregivers];
    }

    /// <summary>Which of these patients have anyone to read a message today: the same rule as <see cref="ForPatientAsync"/>, for many patients at once.</summary>
    public static async Task<HashSet<int>> PatientsWithReadersAsync(PortalDbContext db, IReadOnlyCollection<int> clientIds, DateOnly today, CancellationToken ct)
    {
        var own = await db.Users.AsNoTracking().Where(u => u.ClientId != null && u.Email != null && clientIds.Contains(u.ClientId.Value))
            .Select(u => u.ClientId!.Value).ToListAsync(ct);
        var caregivers = await db.CaregiverAccesses.AsNoTracking().WorkingOn(today)
            .Where(a => clientIds.Contains(a.PatientClientId) && a.Level == CaregiverAccessLevel.Full)
            .Join(db.Users, a => a.PortalUserId, u => u.Id, (a, u) => new { a.PatientClientId, User = u })
            .Where(x => x.User.Email != null && (x.User.ClientId == null || !db.Clients.Any(c => c.Id == x.User.ClientId && c.EndDate != null && c.EndDate <= today)))
            .Select(x => x.PatientClientId)
            .ToListAsync(ct);
        return [.. own, .. caregivers];
    }
}
