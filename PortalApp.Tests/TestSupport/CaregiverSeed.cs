using PortalApp.Data;

namespace PortalApp.Tests.TestSupport;

/// <summary>A caregiver who has already registered: a portal account and an active access, written straight to the database.</summary>
public static class CaregiverSeed
{
    public static async Task<(PortalUser User, CaregiverAccess Access)> ActiveAsync(
        ServiceTestHost host, int patientId, string email, CaregiverAccessLevel level = CaregiverAccessLevel.Full,
        string first = "Maya", string last = "Rivera", int? ownClientId = null)
    {
        await using var db = await host.DbAsync();
        var now = host.Time.GetUtcNow().UtcDateTime;
        var user = db.Users.Add(new PortalUser
        {
            UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant(),
            DisplayName = $"{first} {last}", ClientId = ownClientId, CreatedAtUtc = now, SecurityStamp = Guid.NewGuid().ToString(),
        }).Entity;
        var access = db.CaregiverAccesses.Add(new CaregiverAccess
        {
            PatientClientId = patientId, FirstName = first, LastName = last, Email = email, NormalizedEmail = email.ToUpperInvariant(),
            Relationship = CaregiverRelationship.ParentGuardian, Level = level, Status = CaregiverAccessStatus.Active, PortalUserId = user.Id,
            CreatedAtUtc = now, CreatedByUserId = Staff.FrontDesk.UserId, CreatedByName = Staff.FrontDesk.DisplayName, ActivatedAtUtc = now,
        }).Entity;
        await db.SaveChangesAsync();
        return (user, access);
    }
}
