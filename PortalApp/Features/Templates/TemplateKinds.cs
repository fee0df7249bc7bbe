using PortalApp.Data;

namespace PortalApp.Features.Templates;

/// <summary>What each kind of template is: an email, or plain text for a text message or a call; written once, or per language.</summary>
public static class TemplateKinds
{
    /// <summary>Plain text without a subject or Markdown: a text message or the words of a voice call.</summary>
    public static bool IsPlainText(TemplateKind kind) => kind is TemplateKind.AppointmentReminderSms or TemplateKind.AppointmentReminderVoice or TemplateKind.BulkSms or TemplateKind.BulkVoice;

    /// <summary>Kinds with a default per language, picked by the patient's preferred language. The others are written in English.</summary>
    public static bool IsPerLanguage(TemplateKind kind) =>
        kind is TemplateKind.AppointmentReminderEmail or TemplateKind.AppointmentReminderSms or TemplateKind.AppointmentReminderVoice;

    public static IReadOnlyList<ClientLanguage> LanguagesOf(TemplateKind kind) =>
        IsPerLanguage(kind) ? Enum.GetValues<ClientLanguage>() : [ClientLanguage.English];

    /// <summary>The longest template body of this kind: a text message of ten segments at most, a call of a minute or two.</summary>
    public static int MaxBodyLength(TemplateKind kind) => kind switch
    {
        TemplateKind.AppointmentReminderSms or TemplateKind.BulkSms => 1_600,
        TemplateKind.AppointmentReminderVoice or TemplateKind.BulkVoice => 2_000,
        _ => TemplateRenderer.MaxBodyLength,
    };

    public static string LanguageName(ClientLanguage language) => language == ClientLanguage.French ? "French" : "English";
}
