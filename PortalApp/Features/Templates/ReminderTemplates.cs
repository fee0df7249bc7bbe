using PortalApp.Data;

namespace PortalApp.Features.Templates;

/// <summary>
/// The default appointment reminders, per channel, in English and in French. Minimal content: when, where, with whom
/// (and the type only when the clinic turns it on); never the reason for the visit. Email and text carry the
/// personal link; a call takes keys instead (the call itself says which keys, after these words).
/// </summary>
internal static class ReminderTemplates
{
    public static MessageTemplate For(TemplateKind kind, ClientLanguage language, DateTime now)
    {
        var french = language == ClientLanguage.French;
        var template = (kind, french) switch
        {
            (TemplateKind.AppointmentReminderEmail, false) => DefaultTemplates.Make(kind, now, "Appointment reminder",
                "Reminder: your appointment on {{ appointment.date }}", EmailEnglish),
            (TemplateKind.AppointmentReminderEmail, true) => DefaultTemplates.Make(kind, now, "Rappel de rendez-vous",
                "Rappel : votre rendez-vous du {{ appointment.date }}", EmailFrench),
            (TemplateKind.AppointmentReminderSms, false) => DefaultTemplates.Make(kind, now, "Appointment reminder", "", SmsEnglish),
            (TemplateKind.AppointmentReminderSms, true) => DefaultTemplates.Make(kind, now, "Rappel de rendez-vous", "", SmsFrench),
            (TemplateKind.AppointmentReminderVoice, false) => DefaultTemplates.Make(kind, now, "Appointment reminder", "", VoiceEnglish),
            (TemplateKind.AppointmentReminderVoice, true) => DefaultTemplates.Make(kind, now, "Rappel de rendez-vous", "", VoiceFrench),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        template.Language = language;
        return template;
    }

    private const string EmailEnglish = """
        Hello {{ patient.preferred_name }},

        This is a reminder of your appointment at {{ clinic.name }}:

        - **When:** {{ appointment.date }} at {{ appointment.time }}
        - **With:** {{ appointment.practitioner }}
        - **Where:** {{ appointment.place }}{% if appointment.type != "" %}
        - **For:** {{ appointment.type }}{% endif %}

        Confirm or cancel: {{ appointment_link }}

        The link is personal: please don't forward it. To change the time, call us at {{ clinic.phone }}.

        See you soon,
        {{ clinic.name }}
        """;

    private const string EmailFrench = """
        Bonjour {{ patient.preferred_name }},

        Nous vous rappelons votre rendez-vous à {{ clinic.name }} :

        - **Quand :** {{ appointment.date }} à {{ appointment.time }}
        - **Avec :** {{ appointment.practitioner }}
        - **Où :** {{ appointment.place }}{% if appointment.type != "" %}
        - **Pour :** {{ appointment.type }}{% endif %}

        Confirmer ou annuler : {{ appointment_link }}

        Ce lien est personnel : merci de ne pas le transférer. Pour changer l'heure, appelez-nous au {{ clinic.phone }}.

        À bientôt,
        {{ clinic.name }}
        """;

    private const string SmsEnglish =
        "{{ clinic.name }}: reminder of your appointment on {{ appointment.date }} at {{ appointment.time }} with {{ appointment.practitioner }}"
        + "{% if appointment.type != \"\" %} ({{ appointment.type }}){% endif %}, {{ appointment.place }}. "
        + "Confirm or cancel: {{ appointment_link }} Reply STOP to opt out.";

    private const string SmsFrench =
        "{{ clinic.name }} : rappel de votre rendez-vous le {{ appointment.date }} à {{ appointment.time }} avec {{ appointment.practitioner }}"
        + "{% if appointment.type != \"\" %} ({{ appointment.type }}){% endif %}, {{ appointment.place }}. "
        + "Confirmer ou annuler : {{ appointment_link }} Répondez ARRET pour ne plus recevoir de textos.";

    private const string VoiceEnglish =
        "Hello {{ patient.preferred_name }}. This is {{ clinic.name }}, reminding you of your appointment on {{ appointment.date }} at {{ appointment.time }}"
        + " with {{ appointment.practitioner }}{% if appointment.type != \"\" %}, for {{ appointment.type }}{% endif %}, {{ appointment.place }}.";

    private const string VoiceFrench =
        "Bonjour {{ patient.preferred_name }}. Ici {{ clinic.name }}, pour vous rappeler votre rendez-vous le {{ appointment.date }} à {{ appointment.time }}"
        + " avec {{ appointment.practitioner }}{% if appointment.type != \"\" %}, pour {{ appointment.type }}{% endif %}, {{ appointment.place }}.";
}
