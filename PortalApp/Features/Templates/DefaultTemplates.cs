using PortalApp.Data;

namespace PortalApp.Features.Templates;

/// <summary>The templates every clinic starts with; created at start-up for any kind and language that has none.</summary>
public static class DefaultTemplates
{
    /// <summary>Every kind in every language it is written in (<see cref="TemplateKinds.LanguagesOf"/>).</summary>
    public static IEnumerable<MessageTemplate> All(DateTime now) =>
        Enum.GetValues<TemplateKind>().SelectMany(kind => TemplateKinds.LanguagesOf(kind).Select(language => For(kind, language, now)));

    public static MessageTemplate For(TemplateKind kind, ClientLanguage language, DateTime now) =>
        TemplateKinds.IsPerLanguage(kind) ? ReminderTemplates.For(kind, language, now) : For(kind, now);

    public static MessageTemplate For(TemplateKind kind, DateTime now) => kind switch
    {
        TemplateKind.PortalInvite => Make(kind, now, "Friendly invite", "{{ clinic.name }} invites you to your patient portal",
            """
                Hello {{ patient.preferred_name }},

                {{ clinic.name }} has set up a secure patient portal for you. In it you can see your upcoming appointments, message the clinic and fill in forms before your visit.

                **[Create your portal account]({{ invite_link }})**

                The link is personal: please don't forward it. It works until **{{ invite_expires_on }}**. When you open it, we will ask for your date of birth to confirm it's you, and you will choose a password.

                If the link has expired, or you did not expect this email, call us at {{ clinic.phone }}.

                Warm regards,
                {{ staff.name }} at {{ clinic.name }}
                """),
        TemplateKind.PortalMessageNotification => Make(kind, now, "New message notice", "You have a new message from {{ clinic.name }}",
            """
                Hello {{ patient.preferred_name }},

                There is a new message for you in your {{ clinic.name }} patient portal. For your privacy, we don't put it in an email.

                **[Sign in to read it]({{ sign_in_link }})**

                Questions? Call us at {{ clinic.phone }}.
                """),
        TemplateKind.PortalMessage => Make(kind, now, "General message", "A message from {{ clinic.name }}",
            """
                Hello {{ patient.preferred_name }},



                Kind regards,
                {{ staff.name }}
                {{ clinic.name }}
                """),
        TemplateKind.CaregiverInvite => Make(kind, now, "Caregiver invite", "{{ clinic.name }} invites you to {{ patient.first_name }}'s patient portal",
            """
                Hello {{ caregiver.first_name }},

                {{ clinic.name }} has given you access to the patient portal of {{ patient.first_name }} {{ patient.last_name }} ({{ relationship }}). You will be able to see {{ access }}.

                **[Set up your access]({{ invite_link }})**

                The link is personal: please don't forward it. It works until **{{ invite_expires_on }}**. When you open it, we will ask for {{ patient.first_name }}'s date of birth, then you will choose a password, or sign in if you already have a portal account with us.

                If the link has expired, or you did not expect this email, call us at {{ clinic.phone }}.

                Warm regards,
                {{ staff.name }} at {{ clinic.name }}
                """),
        TemplateKind.IntakeFormRequest => Make(kind, now, "Forms before your visit", "Forms to fill in for {{ clinic.name }}",
            """
                Hello {{ patient.preferred_name }},

                Please fill in {{ forms }} in your patient portal{% if appointment.when != "" %} before your appointment on {{ appointment.when }}{% endif %}. It takes a few minutes, and your answers are saved as you go.

                **[Open your forms]({{ forms_link }})**

                Questions? Reply here or call us at {{ clinic.phone }}.

                Kind regards,
                {{ staff.name }}
                {{ clinic.name }}
                """),
        TemplateKind.BulkEmail => Make(kind, now, "Clinic news", "News from {{ clinic.name }}",
            """
                Hello {{ patient.preferred_name }},

                (Write your message here.)

                Questions? Call us at {{ clinic.phone }}.

                Kind regards,
                {{ staff.name }}
                {{ clinic.name }}
                """),
        TemplateKind.BulkSms => Make(kind, now, "Clinic news", "",
            "Hello {{ patient.preferred_name }}, this is {{ clinic.name }}. (Write your message here.) Questions? Call {{ clinic.phone }}."),
        TemplateKind.BulkVoice => Make(kind, now, "Clinic news", "",
            "Hello, this is {{ clinic.name }} calling for {{ patient.preferred_name }}. (Write your message here.) If you have questions, please call us at {{ clinic.phone }}. Goodbye."),
        _ when TemplateKinds.IsPerLanguage(kind) => ReminderTemplates.For(kind, ClientLanguage.English, now),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    internal static MessageTemplate Make(TemplateKind kind, DateTime now, string name, string subject, string body) => new()
    {
        Kind = kind, Name = name, Subject = subject, Body = body, IsDefault = true, CreatedAtUtc = now, UpdatedAtUtc = now,
    };
}
