using System.Net;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Messaging;

/// <summary>
/// The "you have a new message" emails: to the patient from the clinic's notification template, and to each caregiver
/// with full access a fixed notice naming the patient. A sign-in link and nothing clinical.
/// </summary>
public sealed class MessageNotifier(TemplateEmails emails, EmailComposer composer, EmailOutbox outbox, ClinicSettingsService clinic)
{
    public async Task QueueAsync(PortalDbContext db, Client client, IReadOnlyList<PortalReader> readers, CancellationToken ct)
    {
        var settings = await clinic.GetAsync(ct);
        var signInLink = settings.PatientSignInLink;
        if (readers.Any(r => r.IsPatient))
            await QueueForPatientAsync(db, client, settings, signInLink, ct);
        foreach (var caregiver in readers.Where(r => !r.IsPatient && EmailAddressRules.IsValid(r.Email)))
        {
            var first = WebUtility.HtmlEncode(caregiver.Name.Split(' ', 2)[0]);
            var patient = WebUtility.HtmlEncode(client.PreferredName ?? client.FirstName);
            var content = await composer.ComposeAsync(settings, $"A new message for {client.PreferredName ?? client.FirstName} from {settings.Name}",
                $"<p>Hello {first},</p><p>There is a new message for {patient} in the {WebUtility.HtmlEncode(settings.Name)} patient portal. For everyone's privacy, we don't put it in an email.</p><p><a href=\"{WebUtility.HtmlEncode(signInLink)}\"><strong>Sign in to read it</strong></a></p>",
                $"Hello {caregiver.Name.Split(' ', 2)[0]},\n\nThere is a new message for {client.PreferredName ?? client.FirstName} in the {settings.Name} patient portal. For everyone's privacy, we don't put it in an email.\n\nSign in to read it: {signInLink}");
            outbox.Enqueue(db, new OutgoingEmail(caregiver.Email, caregiver.Name, content.Subject, content.Html, content.Text, "message-notice", client.Id));
        }
    }

    private async Task QueueForPatientAsync(PortalDbContext db, Client client, ClinicView settings, string signInLink, CancellationToken ct)
    {
        if (!EmailAddressRules.IsValid(client.Email))
            return;
        var template = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.Kind == TemplateKind.PortalMessageNotification).OrderByDescending(t => t.IsDefault).FirstOrDefaultAsync(ct);
        if (template is null)
            return;
        var model = TemplateEmails.ModelFor(client.FirstName, client.PreferredName, client.LastName, settings) with { SignInLink = signInLink };
        if (await emails.ComposeAsync(template.Subject, template.Body, model, settings) is not TemplateEmailResult.Rendered { Content: var content })
            return;
        outbox.Enqueue(db, new OutgoingEmail(client.Email!, $"{client.FirstName} {client.LastName}", content.Subject, content.Html, content.Text, "message-notice", client.Id));
    }

    public void Wake() => outbox.WakeDispatcher();
}
