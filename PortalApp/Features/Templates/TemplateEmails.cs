using PortalApp.Email;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Templates;

public abstract record TemplateEmailResult
{
    public sealed record Rendered(EmailContent Content) : TemplateEmailResult;
    public sealed record Failed(string Problem) : TemplateEmailResult;
}

/// <summary>A clinic template rendered for one patient and wrapped in the clinic's email layout: the one path every templated email takes.</summary>
public sealed class TemplateEmails(TemplateRenderer renderer, EmailComposer composer)
{
    public static TemplateModel ModelFor(string firstName, string? preferredName, string lastName, ClinicView clinic) =>
        new(firstName, preferredName, lastName, clinic.Name, clinic.Phone, clinic.Address);

    public async Task<TemplateEmailResult> ComposeAsync(string subject, string body, TemplateModel model, ClinicView clinic) =>
        await renderer.RenderAsync(subject, body, model) switch
        {
            TemplateRenderResult.Rendered { Template: var t } =>
                new TemplateEmailResult.Rendered(await composer.ComposeAsync(clinic, t.Subject, t.BodyHtml, t.BodyText)),
            TemplateRenderResult.Failed failed => new TemplateEmailResult.Failed(failed.Problem),
            _ => throw new InvalidOperationException(),
        };
}
