using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using PortalApp.Features.Clinic;

namespace PortalApp.Email;

public sealed record EmailContent(string Subject, string Html, string Text);

/// <summary>
/// Wraps a body in the clinic's fixed email layout (Razor), next to a plain-text part. The layout depends only on the
/// clinic, so it is rendered once per clinic view with markers where the subject and the body go, and each email is
/// the layout's pieces with its own subject (encoded as the renderer encodes it) and body in between: a Razor render
/// took about a millisecond an email, which a 10,000-patient bulk send felt (issue 14). Before the pieces are used, a
/// probe subject full of characters that need encoding is put together both ways; if the two differ in any byte, every
/// email is rendered in full instead.
/// </summary>
public sealed class EmailComposer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    private const string ProbeSubject = "Probe <b>&amp; \"quotes\" 'apostrophes' é à ü — 日本 😀";
    private const string ProbeBody = "<p>Probe &amp; <a href=\"https://example.com/?a=1&amp;b=2\">link</a></p>";
    private static readonly string SubjectMarker = $"subject{Guid.NewGuid():N}", BodyMarker = $"body{Guid.NewGuid():N}";

    /// <summary>The last clinic's layout pieces (one clinic per app; a settings change makes new ones).</summary>
    private static volatile Layout? _layout;

    private sealed record Layout(ClinicView Clinic, HtmlEncoder Encoder, string[]? Pieces);

    private readonly HtmlEncoder _encoder = services.GetService<HtmlEncoder>() ?? HtmlEncoder.Default;

    /// <param name="safeBodyHtml">HTML that is ours or already sanitized: it is inserted as is.</param>
    public async Task<EmailContent> ComposeAsync(ClinicView clinic, string subject, string safeBodyHtml, string bodyText)
    {
        var layout = _layout;
        if (layout is null || layout.Clinic != clinic || !ReferenceEquals(layout.Encoder, _encoder))
            _layout = layout = await SplitAsync(clinic);
        var html = layout.Pieces is { } pieces
            ? Join(pieces, subject, safeBodyHtml)
            : await RenderAsync(clinic, subject, safeBodyHtml);
        var text = $"{bodyText.TrimEnd()}\n\n--\n{clinic.Name}\n{string.Join(" · ", new[] { clinic.Address, clinic.Phone }.Where(s => !string.IsNullOrWhiteSpace(s)))}\n";
        return new EmailContent(subject, html, text);
    }

    public Task<EmailContent> ComposeTestAsync(ClinicView clinic) => ComposeAsync(
        clinic,
        $"Test email from {clinic.Name}",
        $"<p>This is a test email from PortalApp.</p><p>If you can read it, {System.Net.WebUtility.HtmlEncode(clinic.Name)} can send email to patients.</p>",
        $"This is a test email from PortalApp.\n\nIf you can read it, {clinic.Name} can send email to patients.");

    /// <summary>The layout in full, as Razor renders it: the reference the pieces are checked against.</summary>
    internal async Task<string> RenderAsync(ClinicView clinic, string subject, string safeBodyHtml)
    {
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
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
    }

    /// <summary>Whether emails for this clinic are put together from the layout's pieces (false: each rendered in full).</summary>
    internal async Task<bool> ReusesLayoutAsync(ClinicView clinic) => (await SplitAsync(clinic)).Pieces is not null;

    /// <summary>Before the subject, between subject and body, after the body; null pieces when they cannot be trusted.</summary>
    private async Task<Layout> SplitAsync(ClinicView clinic)
    {
        var marked = await RenderAsync(clinic, SubjectMarker, BodyMarker);
        var around = marked.Split(SubjectMarker);
        var inside = around.Length == 2 ? around[1].Split(BodyMarker) : [];
        if (inside.Length != 2)
            return new Layout(clinic, _encoder, null);
        string[] pieces = [around[0], inside[0], inside[1]];
        var agrees = Join(pieces, ProbeSubject, ProbeBody) == await RenderAsync(clinic, ProbeSubject, ProbeBody);
        return new Layout(clinic, _encoder, agrees ? pieces : null);
    }

    private string Join(string[] pieces, string subject, string safeBodyHtml) =>
        string.Concat(pieces[0], _encoder.Encode(subject), pieces[1], safeBodyHtml, pieces[2]);
}
