using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Messaging;

/// <summary>The "you have a new message" email: from the clinic's notification template, a sign-in link and nothing clinical.</summary>
public sealed class MessageNotifier(TemplateEmails emails, EmailOutbox outbox, ClinicSettingsService clinic)
{
    public async Task QueueAsync(PortalDbContext db, Client client, CancellationToken ct)
    {
        if (!EmailAddressRules.IsValid(client.Email))
            return;
        var template = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.Kind == TemplateKind.PortalMessageNotification).OrderByDescending(t => t.IsDefault).FirstOrDefaultAsync(ct);
        if (template is null)
            return;
        var settings = await clinic.GetAsync(ct);
        var model = TemplateEmails.ModelFor(client.FirstName, client.PreferredName, client.LastName, settings) with
        {
            SignInLink = $"{settings.PublicBaseUrl}/portal/sign-in",
        };
        if (await emails.ComposeAsync(template.Subject, template.Body, model, settings) is not TemplateEmailResult.Rendered { Content: var content })
            return;
        outbox.Enqueue(db, new OutgoingEmail(client.Email!, $"{client.FirstName} {client.LastName}", content.Subject, content.Html, content.Text, "message-notice", client.Id));
    }

    public void Wake() => outbox.WakeDispatcher();
}
