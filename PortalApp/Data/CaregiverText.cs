namespace PortalApp.Data;

/// <summary>How relationships and access levels read, to staff and in the portal.</summary>
public static class CaregiverText
{
    public static readonly CaregiverRelationship[] Relationships = Enum.GetValues<CaregiverRelationship>();

    /// <summary>The caregiver, as staff pick it: "the caregiver is the patient's …".</summary>
    public static string Relationship(CaregiverRelationship relationship) => relationship switch
    {
        CaregiverRelationship.ParentGuardian => "Parent or guardian",
        CaregiverRelationship.SpousePartner => "Spouse or partner",
        CaregiverRelationship.Child => "Child",
        CaregiverRelationship.OtherFamily => "Other family",
        _ => "Other",
    };

    /// <summary>The patient, as the caregiver sees them: "Viewing: Emma Smith — your child".</summary>
    public static string PatientAsSeenByCaregiver(CaregiverRelationship relationship) => relationship switch
    {
        CaregiverRelationship.ParentGuardian => "your child",
        CaregiverRelationship.SpousePartner => "your spouse or partner",
        CaregiverRelationship.Child => "your parent",
        CaregiverRelationship.OtherFamily => "your family member",
        _ => "someone you care for",
    };

    public static string Level(CaregiverAccessLevel level) => level switch
    {
        CaregiverAccessLevel.Full => "Full: appointments, messages and intake forms",
        _ => "Appointments only",
    };

    /// <summary>For the confirmation: "… will get {this} to Emma Smith's portal".</summary>
    public static string LevelPhrase(CaregiverAccessLevel level) => level switch
    {
        CaregiverAccessLevel.Full => "full access (appointments, messages and intake forms)",
        _ => "appointments-only access",
    };

    /// <summary>For templates and sentences: "… can see {this}".</summary>
    public static string LevelInWords(CaregiverAccessLevel level) => level switch
    {
        CaregiverAccessLevel.Full => "appointments, messages and intake forms",
        _ => "appointments only",
    };
}
