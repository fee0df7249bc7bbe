using System.Security.Cryptography;
using PortalApp.Data;

namespace PortalApp.Tests.TestSupport;

/// <summary>Rows that hang off a client card, written straight to the database for the merge and end-date tests.</summary>
public static class MergeSeed
{
    public static PortalInvite Invite(int clientId, ServiceTestHost host, long? caregiverAccessId = null) => new()
    {
        ClientId = clientId, CaregiverAccessId = caregiverAccessId, TokenHash = RandomNumberGenerator.GetBytes(32), Status = InviteStatus.Pending,
        CreatedAtUtc = host.Time.GetUtcNow().UtcDateTime, ExpiresAtUtc = host.Time.GetUtcNow().UtcDateTime.AddDays(7),
        SentByUserId = Staff.FrontDesk.UserId, SentByName = Staff.FrontDesk.DisplayName, SentToEmail = "someone@example.com",
    };

    public static CaregiverAccess Grant(int patientId, string email, CaregiverAccessStatus status, ServiceTestHost host, int? caregiverClientId = null) => new()
    {
        PatientClientId = patientId, CaregiverClientId = caregiverClientId, FirstName = "Care", LastName = "Giver", Email = email,
        NormalizedEmail = email.ToUpperInvariant(), Relationship = CaregiverRelationship.ParentGuardian, Level = CaregiverAccessLevel.Full,
        Status = status, CreatedAtUtc = host.Time.GetUtcNow().UtcDateTime, CreatedByUserId = Staff.FrontDesk.UserId, CreatedByName = Staff.FrontDesk.DisplayName,
    };

    public static PortalUser Account(int clientId, string email) => new()
    {
        UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant(),
        DisplayName = email, ClientId = clientId, SecurityStamp = Guid.NewGuid().ToString(),
    };
}
