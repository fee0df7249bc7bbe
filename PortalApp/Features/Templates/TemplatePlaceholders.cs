using PortalApp.Data;

namespace PortalApp.Features.Templates;

/// <summary>A name a template may use, what it means to the clinic, and where its value comes from.</summary>
public sealed record Placeholder(string Path, string Meaning, Func<TemplateModel, string?> ValueOf, bool IsLink = false);

/// <summary>Everything a template may name, per kind: the one list (the editor's help, the save rules and the renderer read it).</summary>
public static class TemplatePlaceholders
{
    public const string InviteLink = "invite_link";
    public const string AppointmentLink = "appointment_link";

    private static readonly Placeholder PatientFirstName = new("patient.first_name", "The patient's first name", m => m.PatientFirstName);
    private static readonly Placeholder PatientPreferredName = new("patient.preferred_name",
        "The name the patient likes to be called (their first name when none is set)",
        m => string.IsNullOrWhiteSpace(m.PatientPreferredName) ? m.PatientFirstName : m.PatientPreferredName);
    private static readonly Placeholder PatientLastName = new("patient.last_name", "The patient's last name", m => m.PatientLastName);
    private static readonly Placeholder ClinicName = new("clinic.name", "The clinic's name", m => m.ClinicName);
    private static readonly Placeholder ClinicPhone = new("clinic.phone", "The clinic's phone number", m => m.ClinicPhone);
    private static readonly Placeholder ClinicAddress = new("clinic.address", "The clinic's address", m => m.ClinicAddress);
    private static readonly Placeholder ExpiresOn = new("invite_expires_on", "The day the link stops working, e.g. Wednesday 11 March 2026", m => m.InviteExpiresOn);
    private static readonly Placeholder SignInLink = new("sign_in_link", "The portal's sign-in page", m => m.SignInLink, IsLink: true);
    private static readonly Placeholder CaregiverFirstName = new("caregiver.first_name", "The caregiver's first name", m => m.CaregiverFirstName);
    private static readonly Placeholder CaregiverLastName = new("caregiver.last_name", "The caregiver's last name", m => m.CaregiverLastName);
    private static readonly Placeholder Relationship = new("relationship", "Who the patient is to the caregiver, e.g. your child", m => m.Relationship);
    private static readonly Placeholder Access = new("access", "What the caregiver will see: appointments, messages and intake forms, or appointments only", m => m.Access);

    private static readonly Placeholder FormTitles = new("forms", "The titles of the forms sent, e.g. General health history and PHQ-9", m => m.FormTitles);
    private static readonly Placeholder AppointmentWhen = new("appointment.when",
        "The linked appointment's day and time, e.g. Tuesday 10 March 2026 at 9:30 AM (empty when no appointment is linked)", m => m.AppointmentWhen);
    private static readonly Placeholder FormsLink = new("forms_link", "The patient portal, where the forms wait to be filled in", m => m.FormsLink, IsLink: true);

    private static readonly Placeholder AppointmentDate = new("appointment.date",
        "The appointment's day, e.g. Tuesday 10 March 2026 (mardi 10 mars 2026 in French)", m => m.AppointmentDate);
    private static readonly Placeholder AppointmentTime = new("appointment.time",
        "The time it starts, e.g. 9:30 AM (9 h 30 in French); back-to-back appointments: the first one's", m => m.AppointmentTime);
    private static readonly Placeholder AppointmentPlace = new("appointment.place", "The room, or \"video visit\"", m => m.AppointmentPlace);
    private static readonly Placeholder AppointmentPractitioner = new("appointment.practitioner",
        "Who the patient sees (every practitioner, for back-to-back appointments)", m => m.AppointmentPractitioner);
    private static readonly Placeholder AppointmentType = new("appointment.type",
        "The appointment type, e.g. Follow-up; empty unless the clinic's reminder settings say to name it", m => m.AppointmentType);
    private static readonly Placeholder ReminderLink = new(AppointmentLink, "The patient's personal link to confirm or cancel (required)",
        m => m.AppointmentLink, IsLink: true);

    /// <summary>Reminders say when, where and with whom, no more (minimum necessary): no last name, no address, no reason.</summary>
    private static readonly Placeholder[] Reminder =
        [PatientFirstName, PatientPreferredName, ClinicName, ClinicPhone, AppointmentDate, AppointmentTime, AppointmentPlace, AppointmentPractitioner, AppointmentType];

    private static Placeholder StaffName(string what) => new("staff.name", $"The staff member {what}", m => m.StaffName);
    private static Placeholder Link(string whose) => new(InviteLink, $"The {whose}'s personal registration link (required)", m => m.InviteLink, IsLink: true);

    private static readonly Placeholder[] Common = [PatientFirstName, PatientPreferredName, PatientLastName, ClinicName, ClinicPhone, ClinicAddress];

    private static readonly Dictionary<TemplateKind, Placeholder[]> ByKind = new()
    {
        [TemplateKind.PortalInvite] = [.. Common, Link("patient"), ExpiresOn, StaffName("sending the invite")],
        [TemplateKind.PortalMessageNotification] = [.. Common, SignInLink],
        [TemplateKind.PortalMessage] = [.. Common, StaffName("writing the message")],
        [TemplateKind.CaregiverInvite] =
            [.. Common, CaregiverFirstName, CaregiverLastName, Relationship, Access, Link("caregiver"), ExpiresOn, StaffName("sending the invite")],
        [TemplateKind.IntakeFormRequest] = [.. Common, FormTitles, AppointmentWhen, FormsLink, StaffName("sending the forms (\"The team\" when a rule sends them)")],
        [TemplateKind.AppointmentReminderEmail] = [.. Reminder, ReminderLink],
        [TemplateKind.AppointmentReminderSms] = [.. Reminder, ReminderLink],
        [TemplateKind.AppointmentReminderVoice] = Reminder,
        [TemplateKind.BulkEmail] = [.. Common, StaffName("sending the bulk message")],
        [TemplateKind.BulkSms] = [PatientFirstName, PatientPreferredName, ClinicName, ClinicPhone],
        [TemplateKind.BulkVoice] = [PatientFirstName, PatientPreferredName, ClinicName, ClinicPhone],
    };

    /// <summary>Every placeholder of every kind, once per path: what a template model can give.</summary>
    public static IReadOnlyList<Placeholder> All { get; } = ByKind.Values.SelectMany(p => p).DistinctBy(p => p.Path).ToArray();

    public static IReadOnlyList<Placeholder> For(TemplateKind kind) => ByKind.GetValueOrDefault(kind, Common);

    /// <summary>A template of this kind is refused unless it uses these.</summary>
    public static IReadOnlyList<string> RequiredFor(TemplateKind kind) => kind switch
    {
        TemplateKind.PortalInvite or TemplateKind.CaregiverInvite => [InviteLink],
        TemplateKind.AppointmentReminderEmail or TemplateKind.AppointmentReminderSms => [AppointmentLink],
        _ => [],
    };

    public static string Describe(TemplateKind kind) => kind switch
    {
        TemplateKind.PortalInvite => "Portal invite",
        TemplateKind.PortalMessageNotification => "Portal message notification",
        TemplateKind.PortalMessage => "Portal message",
        TemplateKind.CaregiverInvite => "Caregiver invite",
        TemplateKind.IntakeFormRequest => "Intake form request",
        TemplateKind.AppointmentReminderEmail => "Appointment reminder (email)",
        TemplateKind.AppointmentReminderSms => "Appointment reminder (text message)",
        TemplateKind.AppointmentReminderVoice => "Appointment reminder (voice call)",
        TemplateKind.BulkEmail => "Bulk message (email)",
        TemplateKind.BulkSms => "Bulk message (text message)",
        TemplateKind.BulkVoice => "Bulk message (voice call)",
        _ => kind.ToString(),
    };
}
