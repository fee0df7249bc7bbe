using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Reminders;

public abstract record ReminderContentResult
{
    /// <summary>An email in the clinic's layout, exactly as the clinic's other templated emails are made.</summary>
    public sealed record Email(EmailContent Content, ClientLanguage Language) : ReminderContentResult;

    /// <summary>A text message, or the words a call says.</summary>
    public sealed record Text(string Body, ClientLanguage Language) : ReminderContentResult;

    public sealed record Failed(string Problem) : ReminderContentResult;
}

/// <summary>
/// A reminder's words: the clinic's default template for its channel in the patient's language (English when the clinic
/// has none in that language), with the appointment's placeholders. The personal link is <see cref="OutboxEmail.SecretMarker"/>
/// here; the outbox puts the token in at send time, so it is never stored in clear.
/// </summary>
public sealed class ReminderContent(TemplateRenderer renderer, TemplateEmails emails)
{
    public static TemplateKind KindFor(MessageChannel channel) => channel switch
    {
        MessageChannel.Email => TemplateKind.AppointmentReminderEmail,
        MessageChannel.Sms => TemplateKind.AppointmentReminderSms,
        _ => TemplateKind.AppointmentReminderVoice,
    };

    /// <summary>The default reminder templates, read once per pass: (kind, language) → template.</summary>
    public static async Task<IReadOnlyDictionary<(TemplateKind, ClientLanguage), MessageTemplate>> DefaultsAsync(PortalDbContext db, CancellationToken ct)
    {
        TemplateKind[] kinds = [TemplateKind.AppointmentReminderEmail, TemplateKind.AppointmentReminderSms, TemplateKind.AppointmentReminderVoice];
        return (await db.MessageTemplates.AsNoTracking().Where(t => t.IsDefault && kinds.Contains(t.Kind)).ToListAsync(ct))
            .ToDictionary(t => (t.Kind, t.Language));
    }

    public async Task<ReminderContentResult> ComposeAsync(IReadOnlyDictionary<(TemplateKind, ClientLanguage), MessageTemplate> templates,
        MessageChannel channel, ClientLanguage language, TemplateModel patient, ReminderFacts facts, ReminderSettings settings, ClinicView clinic)
    {
        var kind = KindFor(channel);
        if (!templates.TryGetValue((kind, language), out var template) && !templates.TryGetValue((kind, ClientLanguage.English), out template))
            return new ReminderContentResult.Failed($"there is no default {TemplatePlaceholders.Describe(kind)} template.");
        var link = channel == MessageChannel.Voice ? null : clinic.AppointmentLink(OutboxEmail.SecretMarker);
        var model = ReminderValues.With(patient, facts, template.Language, clinic.TimeZone, settings.ShowAppointmentType, link);
        if (channel == MessageChannel.Email)
        {
            return await emails.ComposeAsync(template.Subject, template.Body, model, clinic) switch
            {
                TemplateEmailResult.Rendered rendered => new ReminderContentResult.Email(rendered.Content, template.Language),
                TemplateEmailResult.Failed failed => new ReminderContentResult.Failed($"“{template.Name}”: {failed.Problem}"),
                _ => throw new InvalidOperationException(),
            };
        }
        return await renderer.RenderPlainTextAsync(template.Body, model) switch
        {
            TemplateRenderResult.Rendered { Template: var text } => new ReminderContentResult.Text(text.BodyText, template.Language),
            TemplateRenderResult.Failed failed => new ReminderContentResult.Failed($"“{template.Name}”: {failed.Problem}"),
            _ => throw new InvalidOperationException(),
        };
    }
}
