namespace PortalApp.Features.Templates;

/// <summary>The values a template can show: built for templates, never an entity.</summary>
public sealed record TemplateModel(
    string PatientFirstName,
    string? PatientPreferredName,
    string PatientLastName,
    string ClinicName,
    string ClinicPhone,
    string ClinicAddress,
    string? StaffName = null,
    string? InviteLink = null,
    string? InviteExpiresOn = null,
    string? SignInLink = null,
    string? CaregiverFirstName = null,
    string? CaregiverLastName = null,
    string? Relationship = null,
    string? Access = null)
{
    /// <summary>Placeholder path → value; links are ours (a validated base URL and a base64url token) and pass unescaped.</summary>
    public IReadOnlyDictionary<string, (string Value, bool IsLink)> Values() => new Dictionary<string, (string, bool)>
    {
        ["patient.first_name"] = (PatientFirstName, false),
        ["patient.preferred_name"] = (string.IsNullOrWhiteSpace(PatientPreferredName) ? PatientFirstName : PatientPreferredName, false),
        ["patient.last_name"] = (PatientLastName, false),
        ["clinic.name"] = (ClinicName, false),
        ["clinic.phone"] = (ClinicPhone, false),
        ["clinic.address"] = (ClinicAddress, false),
        ["staff.name"] = (StaffName ?? "", false),
        ["invite_link"] = (InviteLink ?? "", true),
        ["invite_expires_on"] = (InviteExpiresOn ?? "", false),
        ["sign_in_link"] = (SignInLink ?? "", true),
        ["caregiver.first_name"] = (CaregiverFirstName ?? "", false),
        ["caregiver.last_name"] = (CaregiverLastName ?? "", false),
        ["relationship"] = (Relationship ?? "", false),
        ["access"] = (Access ?? "", false),
    };
}
