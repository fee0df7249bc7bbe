namespace PortalApp.Data;

public enum TemplateKind
{
    PortalInvite,
    PortalMessageNotification,
    PortalMessage,
    CaregiverInvite,

    /// <summary>The portal message that carries intake forms to a patient (Send intake form, and rules by appointment type).</summary>
    IntakeFormRequest,

    /// <summary>Appointment reminders, one kind per channel, each with a default in English and in French.</summary>
    AppointmentReminderEmail,

    /// <summary>Plain text, no subject: counted in text-message segments as staff type.</summary>
    AppointmentReminderSms,

    /// <summary>Plain text a voice call says; no link (the call takes keys instead).</summary>
    AppointmentReminderVoice,

    /// <summary>Bulk messaging: an email to each patient (portal bulk messages use <see cref="PortalMessage"/>, bulk invites <see cref="PortalInvite"/>).</summary>
    BulkEmail,

    /// <summary>Bulk messaging: a text message to each patient, plain text.</summary>
    BulkSms,

    /// <summary>Bulk messaging: the words a call says to each patient, plain text.</summary>
    BulkVoice,
}

/// <summary>A clinic-editable email: Markdown with Liquid placeholders. Never code: see docs/decisions/0002.</summary>
public class MessageTemplate
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public TemplateKind Kind { get; set; }
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";

    /// <summary>Who it is written for; the default is per kind and language.</summary>
    public ClientLanguage Language { get; set; }

    /// <summary>The one a new message of this kind and language starts from; at most one per kind and language (a filtered unique index).</summary>
    public bool IsDefault { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public int Version { get; set; }
}
