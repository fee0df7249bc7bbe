namespace PortalApp.Data;

/// <summary>The caregiver's relationship to the patient, as staff record it.</summary>
public enum CaregiverRelationship
{
    ParentGuardian,
    SpousePartner,
    Child,
    OtherFamily,
    Other,
}

public enum CaregiverAccessLevel
{
    /// <summary>Appointments, messages and intake forms.</summary>
    Full,
    AppointmentsOnly,
}

public enum CaregiverAccessStatus
{
    /// <summary>Invited; the caregiver has not registered (or linked their account) yet.</summary>
    Invited,
    Active,
    /// <summary>Ended for good by staff (or by revoking the invite before it was used). A new invite makes a new grant.</summary>
    Ended,
}

/// <summary>
/// One caregiver's access to one patient's portal. Whether it works today is also decided by dates that can change
/// on their own (its end date, either client card's end date), so those are checked on every request, not stored.
/// </summary>
public class CaregiverAccess
{
    public long Id { get; set; }
    public int PatientClientId { get; set; }
    public Client PatientClient { get; set; } = null!;

    /// <summary>Set when staff picked an existing client as the caregiver; the details below were copied from that card.</summary>
    public int? CaregiverClientId { get; set; }
    public Client? CaregiverClient { get; set; }

    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string Email { get; set; } = "";

    /// <summary>Upper-case, trimmed: one open grant per caregiver email and patient, whatever the case typed.</summary>
    public string NormalizedEmail { get; set; } = "";
    public string? Phone { get; set; }
    public CaregiverRelationship Relationship { get; set; }
    public CaregiverAccessLevel Level { get; set; }

    /// <summary>From this day on (clinic time) the access no longer works.</summary>
    public DateOnly? EndsOn { get; set; }
    public string? Note { get; set; }
    public CaregiverAccessStatus Status { get; set; }

    /// <summary>The portal account that uses this access, once the caregiver registered or linked it.</summary>
    public string? PortalUserId { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public string CreatedByUserId { get; set; } = "";
    public string CreatedByName { get; set; } = "";
    public DateTime? ActivatedAtUtc { get; set; }
    public DateTime? EndedAtUtc { get; set; }
    public string? EndedByName { get; set; }
    public string? EndReason { get; set; }
    public int Version { get; set; }

    public string FullName => $"{FirstName} {LastName}";
}
