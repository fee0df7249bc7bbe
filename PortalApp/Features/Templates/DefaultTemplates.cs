using PortalApp.Data;

namespace PortalApp.Features.Templates;

/// <summary>The templates every clinic starts with; created at start-up for any kind that has none.</summary>
public static class DefaultTemplates
{
    public static MessageTemplate For(TemplateKind kind, DateTime now) => kind switch
    {
        TemplateKind.PortalInvite => new MessageTemplate
        {
            Kind = kind,
            Name = "Friendly invite",
            Subject = "{{ clinic.name }} invites you to your patient portal",
            Body = """
                Hello {{ patient.preferred_name }},

                {{ clinic.name }} has set up a secure patient portal for you. In it you can see your upcoming appointments, message the clinic and fill in forms before your visit.

                **[Create your portal account]({{ invite_link }})**

                The link is personal: please don't forward it. It works until **{{ invite_expires_on }}**. When you open it, we will ask for your date of birth to confirm it's you, and you will choose a password.

                If the link has expired, or you did not expect this email, call us at {{ clinic.phone }}.

                Warm regards,
                {{ staff.name }} at {{ clinic.name }}
                """,
            IsDefault = true,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        },
        TemplateKind.PortalMessageNotification => new MessageTemplate
        {
            Kind = kind,
            Name = "New message notice",
            Subject = "You have a new message from {{ clinic.name }}",
            Body = """
                Hello {{ patient.preferred_name }},

                There is a new message for you in your {{ clinic.name }} patient portal. For your privacy, we don't put it in an email.

                **[Sign in to read it]({{ sign_in_link }})**

                Questions? Call us at {{ clinic.phone }}.
                """,
            IsDefault = true,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        },
        TemplateKind.PortalMessage => new MessageTemplate
        {
            Kind = kind,
            Name = "General message",
            Subject = "A message from {{ clinic.name }}",
            Body = """
                Hello {{ patient.preferred_name }},



                Kind regards,
                {{ staff.name }}
                {{ clinic.name }}
                """,
            IsDefault = true,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        },
        TemplateKind.CaregiverInvite => new MessageTemplate
        {
            Kind = kind,
            Name = "Caregiver invite",
            Subject = "{{ clinic.name }} invites you to {{ patient.first_name }}'s patient portal",
            Body = """
                Hello {{ caregiver.first_name }},

                {{ clinic.name }} has given you access to the patient portal of {{ patient.first_name }} {{ patient.last_name }} ({{ relationship }}). You will be able to see {{ access }}.

                **[Set up your access]({{ invite_link }})**

                The link is personal: please don't forward it. It works until **{{ invite_expires_on }}**. When you open it, we will ask for {{ patient.first_name }}'s date of birth, then you will choose a password, or sign in if you already have a portal account with us.

                If the link has expired, or you did not expect this email, call us at {{ clinic.phone }}.

                Warm regards,
                {{ staff.name }} at {{ clinic.name }}
                """,
            IsDefault = true,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
