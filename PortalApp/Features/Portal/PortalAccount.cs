using PortalApp.Data;
using PortalApp.Features.Caregivers;

namespace PortalApp.Features.Portal;

/// <summary>A patient whose portal a signed-in account may open: their own record, or someone they care for.</summary>
public sealed record PortalPatient(int ClientId, string FirstName, string LastName, string? PreferredName, bool IsSelf, CaregiverAccessLevel Level, CaregiverRelationship? Relationship)
{
    public string FullName => $"{FirstName} {LastName}";
    public string CalledName => string.IsNullOrWhiteSpace(PreferredName) ? FirstName : PreferredName;

    /// <summary>Messages and intake forms; a caregiver with appointments-only access sees neither.</summary>
    public bool SeesMessages => Level == CaregiverAccessLevel.Full;

    /// <summary>"you", "your child", …</summary>
    public string Label => IsSelf || Relationship is not { } relationship ? "you" : CaregiverText.PatientAsSeenByCaregiver(relationship);
}

/// <summary>One portal login and everyone it may see today. Rebuilt on every request, so ended access is gone at once.</summary>
public sealed record PortalAccount(string UserId, string DisplayName, IReadOnlyList<PortalPatient> Patients)
{
    public bool HasAccess => Patients.Count > 0;
    public PortalPatient? Find(int clientId) => Patients.FirstOrDefault(p => p.ClientId == clientId);
}

/// <summary>The account signed in and the patient it is looking at now.</summary>
/// <param name="EndedAccessTo">Whose portal this account was looking at until its access ended: told once, on this page.</param>
public sealed record PortalSession(PortalAccount Account, PortalPatient Patient, string? EndedAccessTo = null)
{
    public int ClientId => Patient.ClientId;

    /// <summary>Who a message from this session is from, and on whose behalf when a caregiver writes.</summary>
    public (string Author, string? OnBehalfOf) MessageAuthor =>
        Patient.IsSelf ? (Account.DisplayName, null) : (Account.DisplayName, Patient.FullName);
}
