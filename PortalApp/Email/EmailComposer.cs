using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using PortalApp.Features.Clinic;

namespace PortalApp.Email;

public sealed record EmailContent(string Subject, string Html, string Text);

/// <summary>Wraps a body in the clinic's fixed email layout (Razor), next to a plain-text part.</summary>
public sealed class EmailComposer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    /// <param name="safeBodyHtml">HTML that is ours or already sanitized: it is inserted as is.</param>
    public async Task<EmailContent> ComposeAsync(ClinicView clinic, string subject, string safeBodyHtml, string bodyText)
    {
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(EmailLayout.Clinic)] = clinic,
                [nameof(EmailLayout.Subject)] = subject,
                [nameof(EmailLayout.BodyHtml)] = new MarkupString(safeBodyHtml),
            });
            var output = await renderer.RenderComponentAsync<EmailLayout>(parameters);
            return output.ToHtmlString();
        });
        var text = $"{bodyText.TrimEnd()}\n\n--\n{clinic.Name}\n{string.Join(" · ", new[] { clinic.Address, clinic.Phone }.Where(s => !string.IsNullOrWhiteSpace(s)))}\n";
        return new EmailContent(subject, html, text);
    }

    public Task<EmailContent> ComposeTestAsync(ClinicView clinic) => ComposeAsync(
        clinic,
        $"Test email from {clinic.Name}",
        $"<p>This is a test email from PortalApp.</p><p>If you can read it, {System.Net.WebUtility.HtmlEncode(clinic.Name)} can send email to patients.</p>",
        $"This is a test email from PortalApp.\n\nIf you can read it, {clinic.Name} can send email to patients.");
}
