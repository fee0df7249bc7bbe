using System.Net;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Bulk;

/// <summary>What one patient gets: a subject (email and portal), the text, and for email the HTML.</summary>
public sealed record BulkContent(string? Subject, string Text, string? Html);

public abstract record BulkComposeResult
{
    public sealed record Composed(BulkContent Content) : BulkComposeResult;
    public sealed record Failed(string Problem) : BulkComposeResult;
}

/// <summary>
/// Renders a bulk send's message for one patient with that patient's values only (never a list, never anyone else's),
/// and adds what the purpose requires: a promotional email ends with an unsubscribe link, a promotional text with the
/// clinic's name and "Reply STOP". The clinic's name, address and phone are in every email's footer already.
/// </summary>
public sealed class BulkComposer(TemplateRenderer renderer, EmailComposer emails)
{
    /// <summary>The values one patient's message is written with: theirs, the clinic's, and the sending staff member's name.</summary>
    public static TemplateModel ModelFor(BulkClientFacts client, ClinicView clinic, string staffName) =>
        TemplateEmails.ModelFor(client.FirstName, client.PreferredName, client.LastName, clinic) with { StaffName = staffName };

    /// <param name="unsubscribeUrl">Promotional email: the link, with the token as <see cref="OutboxEmail.SecretMarker"/>.</param>
    public async Task<BulkComposeResult> ComposeAsync(BulkChannel channel, BulkPurpose purpose, string? subject, string body, TemplateModel model,
        ClinicView clinic, string? unsubscribeUrl)
    {
        if (channel == BulkChannel.Email)
        {
            if (await renderer.RenderAsync(subject ?? "", body, model) is not TemplateRenderResult.Rendered { Template: var t })
                return Failed(await renderer.RenderAsync(subject ?? "", body, model));
            var (html, text) = (t.BodyHtml, t.BodyText);
            if (purpose == BulkPurpose.Promotional && unsubscribeUrl is not null)
            {
                html += $"<p style=\"font-size:14px;color:#444\">You get this because you are a patient of {WebUtility.HtmlEncode(clinic.Name)}. " +
                        $"<a href=\"{WebUtility.HtmlEncode(unsubscribeUrl)}\">Unsubscribe from promotional messages</a>.</p>";
                text += $"\n\nYou get this because you are a patient of {clinic.Name}. Unsubscribe from promotional messages: {unsubscribeUrl}";
            }
            var content = await emails.ComposeAsync(clinic, t.Subject, html, text);
            return new BulkComposeResult.Composed(new BulkContent(content.Subject, content.Text, content.Html));
        }

        if (await renderer.RenderPlainTextAsync(body, model) is not TemplateRenderResult.Rendered { Template: var plain })
            return Failed(await renderer.RenderPlainTextAsync(body, model));
        var words = plain.BodyText.Trim();
        if (channel == BulkChannel.Sms && purpose == BulkPurpose.Promotional)
            words += $"\n{clinic.Name}. Reply STOP to opt out.";
        if (channel != BulkChannel.Portal)
            return new BulkComposeResult.Composed(new BulkContent(null, words, null));

        if (await renderer.RenderPlainTextAsync(subject ?? "", model) is not TemplateRenderResult.Rendered { Template: var title })
            return Failed(await renderer.RenderPlainTextAsync(subject ?? "", model));
        return new BulkComposeResult.Composed(new BulkContent(title.BodyText.Trim(), words, null));
    }

    private static BulkComposeResult.Failed Failed(TemplateRenderResult result) =>
        new(result is TemplateRenderResult.Failed { Problem: var problem } ? problem : "The message could not be written for this patient.");
}
