using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Audit;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Invites;

public abstract record InviteEmailResult
{
    public sealed record Rendered(EmailContent Content) : InviteEmailResult;
    public sealed record Failed(string Problem) : InviteEmailResult;
}

/// <summary>An invite template with this patient's data, in the clinic's email layout.</summary>
public sealed class InviteEmailRenderer(TemplateRenderer renderer, EmailComposer composer, ClinicSettingsService clinic)
{
    /// <summary>Stands in for the token in a preview and in the stored copy: the real one is never shown or kept.</summary>
    public const string PreviewToken = "your-personal-link";

    public async Task<InviteEmailResult> RenderAsync(MessageTemplate template, Client client, StaffActor actor, string token, DateTime expiresAtUtc)
    {
        var settings = await clinic.GetAsync();
        var model = new TemplateModel(
            client.FirstName, client.PreferredName, client.LastName, settings.Name, settings.Phone, settings.Address,
            StaffName: actor.DisplayName,
            InviteLink: InviteTokens.Link(settings.PublicBaseUrl, token),
            InviteExpiresOn: InviteService.FormatExpiry(expiresAtUtc, settings.TimeZone));
        return await renderer.RenderAsync(template.Subject, template.Body, model) switch
        {
            TemplateRenderResult.Rendered { Template: var t } => new InviteEmailResult.Rendered(
                await composer.ComposeAsync(settings, t.Subject, t.BodyHtml, t.BodyText)),
            TemplateRenderResult.Failed failed => new InviteEmailResult.Failed($"The template '{template.Name}' cannot be used: {failed.Problem}"),
            _ => throw new InvalidOperationException(),
        };
    }

    public static string Mask(string body) => body.Replace(OutboxEmail.SecretMarker, PreviewToken, StringComparison.Ordinal);
}
