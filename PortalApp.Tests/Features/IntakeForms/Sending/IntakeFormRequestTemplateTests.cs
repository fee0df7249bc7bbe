using PortalApp.Data;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.IntakeForms.Sending;

/// <summary>The Intake form request kind in the template editor: its placeholders, its default, its live preview.</summary>
[Trait("Providers", "Both")]
public sealed class IntakeFormRequestTemplateTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public void The_editor_lists_the_forms_the_appointment_and_the_portal_link_for_this_kind_only()
    {
        var paths = TemplatePlaceholders.For(TemplateKind.IntakeFormRequest).Select(p => p.Path).ToList();

        Assert.Contains("forms", paths);
        Assert.Contains("appointment.when", paths);
        Assert.Contains("forms_link", paths);
        Assert.DoesNotContain("forms", TemplatePlaceholders.For(TemplateKind.PortalMessage).Select(p => p.Path));
        Assert.Equal("Intake form request", TemplatePlaceholders.Describe(TemplateKind.IntakeFormRequest));
    }

    [Fact]
    public async Task The_default_is_created_at_start_up_passes_the_save_rules_and_previews_with_sample_forms_and_visit()
    {
        var template = Assert.Single(await _host.Scoped<TemplateService>().ListAsync(TemplateKind.IntakeFormRequest));
        var defaults = DefaultTemplates.For(TemplateKind.IntakeFormRequest, default);
        Assert.True(template.IsDefault);
        Assert.Empty(TemplateRules.Validate(_host.Get<TemplateRenderer>(), TemplateKind.IntakeFormRequest, template.Name, defaults.Subject, defaults.Body));

        var preview = Assert.IsType<TemplateEmailResult.Rendered>(await _host.Scoped<TemplatePreviewService>()
            .PreviewAsync(TemplateKind.IntakeFormRequest, defaults.Subject, defaults.Body, null, Staff.Admin)).Content;

        Assert.Contains("Please fill in General health history and PHQ-9 in your patient portal before your appointment on Saturday 7 March 2026 at 10:00 AM.", preview.Text);
        Assert.Contains("Open your forms: https://portal.clinic.example/portal/forms", preview.Text);
    }
}
