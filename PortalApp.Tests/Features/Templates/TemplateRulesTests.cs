using PortalApp.Data;
using PortalApp.Features.Templates;

namespace PortalApp.Tests.Features.Templates;

public sealed class TemplateRulesTests
{
    private readonly TemplateRenderer _renderer = new();

    private Dictionary<string, string> Validate(string body, TemplateKind kind = TemplateKind.PortalInvite, string subject = "Join the portal") =>
        TemplateRules.Validate(_renderer, kind, "Default", subject, body);

    [Fact]
    public void A_good_invite_template_passes()
    {
        Assert.Empty(Validate("Hi {{ patient.preferred_name }}, [register]({{ invite_link }}) before {{ invite_expires_on }}. {% if patient.last_name %}ok{% endif %}"));
    }

    [Fact]
    public void An_invite_without_the_link_is_refused_with_the_reason()
    {
        Assert.Equal("An invite must contain {{ invite_link }}: without it the patient gets no way to register.", Validate("Hi {{ patient.first_name }}")["Body"]);
    }

    [Fact]
    public void A_caregiver_invite_needs_its_link_and_may_name_the_caregiver_and_the_access()
    {
        Assert.Empty(Validate("Hi {{ caregiver.first_name }}: {{ patient.first_name }} ({{ relationship }}), {{ access }}. {{ invite_link }}", TemplateKind.CaregiverInvite));
        Assert.Equal("An invite must contain {{ invite_link }}: without it the caregiver gets no way to register.",
            Validate("Hi {{ caregiver.first_name }}", TemplateKind.CaregiverInvite)["Body"]);
        Assert.Contains("Unknown placeholder: caregiver.first_name", Validate("{{ caregiver.first_name }} {{ invite_link }}")["Body"]);
    }

    [Fact]
    public void A_notification_needs_no_invite_link_and_may_not_use_one()
    {
        Assert.Empty(Validate("You have a new message. [Sign in]({{ sign_in_link }})", TemplateKind.PortalMessageNotification));
        Assert.Contains("Unknown placeholder: invite_link", Validate("{{ invite_link }}", TemplateKind.PortalMessageNotification)["Body"]);
    }

    [Theory]
    [InlineData("{{ invite_link }} {{ patient.fist_name }}", "patient.fist_name")]
    [InlineData("{{ invite_link }} {{ patient.date_of_birth | truncate: 4 }}", "patient.date_of_birth")]
    [InlineData("{{ invite_link }} {% if chart.notes %}x{% endif %}", "chart.notes")]
    public void Unknown_placeholders_are_named_when_saving(string body, string unknown)
    {
        var problem = Validate(body)["Body"];

        Assert.StartsWith($"Unknown placeholder: {unknown}.", problem);
        Assert.Contains("You can use: patient.first_name", problem);
    }

    [Fact]
    public void Quoted_text_is_not_a_placeholder()
    {
        Assert.Empty(Validate("{{ 'clinic.secret' }} {{ patient.preferred_name | default: 'patient.email' }} {{ invite_link }}"));
    }

    [Fact]
    public void The_link_counts_only_when_printed_and_may_go_through_a_filter()
    {
        Assert.Empty(Validate("[Register]({{ invite_link | strip }})"));
        Assert.StartsWith("An invite must contain {{ invite_link }}", Validate("{% if invite_link %}Check your email.{% endif %}")["Body"]);
    }

    [Fact]
    public void Liquid_errors_and_unknown_subject_placeholders_are_reported()
    {
        Assert.StartsWith("This is not valid Liquid", Validate("{% if %} {{ invite_link }}")["Body"]);
        Assert.StartsWith("Unknown placeholder: patient.email", Validate("{{ invite_link }}", subject: "For {{ patient.email }}")["Subject"]);
    }

    [Fact]
    public void Sizes_are_bounded()
    {
        Assert.Contains("at most 20,000 characters", Validate("{{ invite_link }}" + new string('x', 20_001))["Body"]);
        Assert.Contains("at most 200 characters", Validate("{{ invite_link }}", subject: new string('s', 201))["Subject"]);
    }
}
