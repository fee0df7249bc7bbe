using PortalApp.Data;
using PortalApp.Features.Templates;

namespace PortalApp.Tests.Features.Templates;

public sealed class TemplateRendererTests
{
    private readonly TemplateRenderer _renderer = new();

    private static readonly TemplateModel Emma = new(
        "Emma", null, "Smith", "Maple Grove", "(416) 555-0100", "120 Maple Ave",
        StaffName: "Fran Desk", InviteLink: "https://portal.example/register/abc_DEF-123", InviteExpiresOn: "Wednesday 11 March 2026");

    private async Task<RenderedTemplate> Render(string body, TemplateModel? model = null, string subject = "Hello {{ patient.first_name }}")
    {
        var result = await _renderer.RenderAsync(subject, body, model ?? Emma);
        return Assert.IsType<TemplateRenderResult.Rendered>(result).Template;
    }

    [Fact]
    public async Task Renders_placeholders_and_markdown_to_html_with_a_plain_text_part()
    {
        var rendered = await Render("Hi **{{ patient.preferred_name }}**,\n\n[Register here]({{ invite_link }}) by {{ invite_expires_on }}.");

        Assert.Equal("Hello Emma", rendered.Subject);
        Assert.Contains("<strong>Emma</strong>", rendered.BodyHtml);
        Assert.Contains("<a href=\"https://portal.example/register/abc_DEF-123\">Register here</a>", rendered.BodyHtml);
        Assert.Equal("Hi Emma,\n\nRegister here: https://portal.example/register/abc_DEF-123 by Wednesday 11 March 2026.", rendered.BodyText);
    }

    [Fact]
    public async Task Values_are_encoded_so_a_name_can_inject_neither_html_nor_markdown()
    {
        var evil = Emma with { PatientFirstName = "<script>alert(1)</script>*Bob* [x](javascript:alert(2))" };

        var rendered = await Render("Hi {{ patient.first_name }}", evil);

        Assert.DoesNotContain("<script", rendered.BodyHtml);
        Assert.DoesNotContain("<em>", rendered.BodyHtml);
        Assert.DoesNotContain("href", rendered.BodyHtml);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;*Bob*", rendered.BodyHtml);
        Assert.Contains("<script>alert(1)</script>*Bob*", rendered.BodyText);
    }

    [Fact]
    public async Task Markup_written_into_a_template_is_shown_as_text_or_removed_never_run()
    {
        var rendered = await Render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n<form action=\"https://evil\"><input></form><iframe src=\"https://evil\"></iframe>");

        Assert.DoesNotContain("<script", rendered.BodyHtml);
        Assert.DoesNotContain("<img", rendered.BodyHtml);
        Assert.DoesNotContain("javascript:", rendered.BodyHtml);
        Assert.DoesNotContain("<form", rendered.BodyHtml);
        Assert.DoesNotContain("<iframe", rendered.BodyHtml);
        Assert.DoesNotContain("onerror=", rendered.BodyHtml.Replace("onerror=alert(1)&gt;", ""));
    }

    [Fact]
    public async Task Filters_work_on_escaped_values_without_double_encoding()
    {
        var rendered = await Render("{{ patient.last_name | upcase }}", Emma with { PatientLastName = "O'Brien & Co" });

        Assert.Contains("<p>O'BRIEN &amp; CO</p>", rendered.BodyHtml);
        Assert.Equal("O'BRIEN & CO", rendered.BodyText);
    }

    [Fact]
    public async Task The_preferred_name_falls_back_to_the_first_name()
    {
        Assert.Equal("Em", (await Render("{{ patient.preferred_name }}", Emma with { PatientPreferredName = "Em" })).BodyText);
        Assert.Equal("Emma", (await Render("{{ patient.preferred_name }}")).BodyText);
    }

    [Fact]
    public async Task Output_beyond_the_limit_is_refused()
    {
        var longAddress = Emma with { ClinicAddress = new string('A', 300) };

        var result = await _renderer.RenderAsync("s", string.Concat(Enumerable.Repeat("{{ clinic.address }}", 700)), longAddress);

        Assert.Equal("The template produces more than 200,000 characters.", Assert.IsType<TemplateRenderResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task A_render_that_overruns_its_time_budget_is_stopped_with_a_message()
    {
        var noTime = new TemplateRenderer(TimeSpan.Zero);

        var result = await noTime.RenderAsync("Hello", "Hi {{ patient.first_name | upcase }}", Emma);

        Assert.Equal("The template took longer than 0 seconds to write, so it was stopped. Make it shorter or simpler.", Assert.IsType<TemplateRenderResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task A_template_longer_than_a_template_may_be_is_refused_at_render()
    {
        // Only possible when written straight to the database: saving refuses it.
        var result = await _renderer.RenderAsync("s", new string('x', TemplateRenderer.MaxBodyLength + 1), Emma);

        Assert.StartsWith("The template is longer than a template may be", Assert.IsType<TemplateRenderResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task Markdown_nested_deeper_than_markdig_reads_is_refused_with_a_message()
    {
        var result = await _renderer.RenderAsync("s", new string('>', 200) + " deep", Emma);

        Assert.StartsWith("The message puts quotes, lists or emphasis inside each other too many times", Assert.IsType<TemplateRenderResult.Failed>(result).Problem);
    }

    [Fact]
    public async Task Line_breaks_in_a_subject_become_spaces()
    {
        var rendered = await Render("x", subject: "Hello\r\nBcc: someone@example.com");

        Assert.Equal("Hello Bcc: someone@example.com", rendered.Subject);
    }
}
