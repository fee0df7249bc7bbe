using PortalApp.Data;
using PortalApp.Features.Templates;

namespace PortalApp.Tests.Features.Templates;

/// <summary>Clinic templates keep to a subset of Liquid: checked on Fluid's parsed template, at save and at render.</summary>
public sealed class TemplateLanguageTests
{
    /// <summary>
    /// The worst template the rules accepted before the subset: 55 steps that double a string 26 times (5 GB allocated,
    /// a 3-5 GB peak working set and 25-50 s of CPU in PortalApp.Benchmarks template-memory), printing one number.
    /// </summary>
    public const string Doubling =
        "{% assign s = '0123456789' %}{% for i in (1..26) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }} {{ invite_link }}";

    private readonly TemplateRenderer _renderer = new();

    private string? BodyProblem(string body) =>
        TemplateRules.Validate(_renderer, TemplateKind.PortalInvite, "Name", "Subject", body).GetValueOrDefault("Body");

    [Fact]
    public void The_doubling_template_is_refused_at_save_naming_what_is_not_allowed_and_why()
    {
        var problem = BodyProblem(Doubling);

        Assert.StartsWith("A clinic template cannot use the assign tag (a variable), the for tag (a loop), a range like (1..5), the append filter, the size filter.", problem);
        Assert.Contains("could make one email take minutes and gigabytes of memory to write", problem);
        Assert.Contains("only these filters: upcase, downcase, capitalize", problem);
    }

    [Theory]
    [InlineData("{% for n in patient.first_name %}x{% endfor %}", "the for tag (a loop)")]
    [InlineData("{% tablerow n in patient.first_name %}x{% endtablerow %}", "the tablerow tag (a loop)")]
    [InlineData("{% cycle 'a', 'b' %}", "the cycle tag (a loop)")]
    [InlineData("{% assign x = 'a' %}", "the assign tag (a variable)")]
    [InlineData("{% capture x %}a{% endcapture %}", "the capture tag (a variable)")]
    [InlineData("{% increment x %}", "the increment tag (a variable)")]
    [InlineData("{% decrement x %}", "the decrement tag (a variable)")]
    [InlineData("{{ (1..5) }}", "a range like (1..5)")]
    [InlineData("{% include 'other' %}", "include or render")]
    [InlineData("{% render 'other' %}", "include or render")]
    [InlineData("{{ patient['first_name'] }}", "[...] or a call after a placeholder")]
    [InlineData("{{ patient.first_name | append: 'x' }}", "the append filter")]
    [InlineData("{{ patient.first_name | prepend: 'x' }}", "the prepend filter")]
    [InlineData("{{ patient.first_name | replace: 'a', 'aaaa' }}", "the replace filter")]
    [InlineData("{{ patient.first_name | split: '' | join: 'xx' }}", "the join filter, the split filter")]
    [InlineData("{{ 3 | times: 1000 }}", "the times filter")]
    [InlineData("{{ patient.first_name | concat: patient.last_name }}", "the concat filter")]
    [InlineData("{{ patient.first_name | escape }}", "the escape filter")]
    public void Loops_variables_ranges_other_files_and_growing_filters_are_named(string tag, string named)
    {
        Assert.StartsWith($"A clinic template cannot use {named}", BodyProblem("{{ invite_link }} " + tag));
    }

    [Fact]
    public void What_an_email_needs_is_allowed()
    {
        Assert.Null(BodyProblem("""
            {% comment %}For the spring campaign{% endcomment %}
            Hello {{ patient.preferred_name | strip | capitalize | default: "there" }},
            {% if patient.last_name == "Smith" and clinic.phone != "" %}Hi Smith!{% elsif clinic.name contains "Maple" %}Maple{% else %}Other{% endif %}
            {% unless staff.name == blank %}From {{ staff.name | upcase }}.{% endunless %}
            {% case patient.first_name %}{% when "Emma", "Em" %}Emma!{% else %}Someone{% endcase %}
            {{ clinic.address | truncate: 40, "…" | truncatewords: 5 | downcase | lstrip | rstrip | strip_newlines }}
            {% raw %}{{ not a placeholder }}{% endraw %}
            [Register]({{ invite_link }})
            """));
    }

    [Fact]
    public async Task A_template_written_before_the_subset_or_straight_to_the_database_is_refused_at_render_without_growing_memory()
    {
        var model = new TemplateModel("Emma", null, "Smith", "Maple Grove", "(416) 555-0100", "120 Maple Ave", InviteLink: "https://portal.example/register/x");
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var result = await _renderer.RenderAsync("Welcome", Doubling, model);

        var problem = Assert.IsType<TemplateRenderResult.Failed>(result).Problem;
        Assert.StartsWith("A clinic template cannot use the assign tag (a variable), the for tag (a loop)", problem);
        Assert.EndsWith("An admin must change this template in Templates before it can be sent.", problem);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocated, 0, 20_000_000);
    }

    [Fact]
    public void Rendering_finds_only_the_allowed_filters_should_a_template_ever_get_past_the_check()
    {
        Assert.Equal(TemplateLanguage.AllowedFilters.Order(), TemplateRenderer.FilterNames.Order());
    }

    [Fact]
    public async Task A_growing_filter_in_the_subject_is_refused_at_render_too()
    {
        var model = new TemplateModel("Emma", null, "Smith", "Maple Grove", "(416) 555-0100", "120 Maple Ave");

        var result = await _renderer.RenderAsync("{{ clinic.name | append: clinic.name }}", "Hello", model);

        Assert.StartsWith("A clinic template cannot use the append filter.", Assert.IsType<TemplateRenderResult.Failed>(result).Problem);
    }

    // Each of these overflows a 1.5 MB thread-pool stack inside Fluid, which ends the process (no catch can stop it):
    // the shape is counted on the text before the parser sees it.
    [Fact]
    public Task A_thousand_nested_parentheses_are_refused_before_parsing() => RefusedBeforeParsing(
        "{% if " + new string('(', 1_000) + "a" + new string(')', 1_000) + " %}x{% endif %}",
        "The tags of a template can hold at most 20 brackets and parentheses; this one's hold 1,000.");

    [Fact]
    public Task Six_hundred_nested_ifs_are_refused_before_parsing() => RefusedBeforeParsing(
        string.Concat(Enumerable.Repeat("{% if clinic.name %}", 600)) + string.Concat(Enumerable.Repeat("{% endif %}", 600)),
        "A template can have at most 100 tags ({% … %}); this one has 1,200.");

    [Fact]
    public Task A_chain_of_2800_filters_is_refused_before_parsing() => RefusedBeforeParsing(
        "{{ clinic.name" + string.Concat(Enumerable.Repeat("|upcase", 2_800)) + " }}",
        "A template can use at most 100 filters (|); this one uses 2,800.");

    private async Task RefusedBeforeParsing(string nested, string message)
    {
        var body = "{{ invite_link }}" + nested;
        Assert.InRange(body.Length, 0, TemplateRenderer.MaxBodyLength);

        Assert.Equal(message, BodyProblem(body));
        var model = new TemplateModel("Emma", null, "Smith", "Maple Grove", "(416) 555-0100", "120 Maple Ave");
        Assert.Equal($"The message cannot be read: {message}", Assert.IsType<TemplateRenderResult.Failed>(await _renderer.RenderAsync("Hi", body, model)).Problem);
    }
}
