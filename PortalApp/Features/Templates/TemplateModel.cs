namespace PortalApp.Features.Templates;

/// <summary>The values a template can show: built for templates, never an entity. What each is called is TemplatePlaceholders'.</summary>
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
    string? Access = null,
    string? FormTitles = null,
    string? AppointmentWhen = null,
    string? FormsLink = null,
    string? AppointmentDate = null,
    string? AppointmentTime = null,
    string? AppointmentPlace = null,
    string? AppointmentPractitioner = null,
    string? AppointmentType = null,
    string? AppointmentLink = null)
{
    /// <summary>Placeholder path → value; links are ours (a validated base URL and a base64url token) and pass unescaped.</summary>
    public IReadOnlyDictionary<string, (string Value, bool IsLink)> Values() =>
        TemplatePlaceholders.All.ToDictionary(p => p.Path, p => (p.ValueOf(this) ?? "", p.IsLink));
}
