using Bunit;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Templates;

/// <summary>The text-message template editor counts the message as staff type, from the preview with a link of real length.</summary>
public sealed class SmsLengthCounterTests : PortalBunitContext
{
    /// <summary>"https://portal.clinic.example/appointment/" and a 43-character token.</summary>
    private const int LinkLength = 42 + 43;

    protected override Task SeedAsync()
    {
        SignInAs(Staff.Admin);
        return Task.CompletedTask;
    }

    private static void Type(IRenderedComponent<MudTestHost> page, string body)
    {
        var id = page.FindAll("label").Single(l => l.TextContent.Trim() == "Message").GetAttribute("for");
        page.Find($"#{id}").Input(body);
    }

    [Fact]
    public void The_count_follows_the_text_as_it_is_typed()
    {
        var page = RenderWithProviders<TemplateEditorPage>((nameof(TemplateEditorPage.Kind), nameof(PortalApp.Data.TemplateKind.AppointmentReminderSms)));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=sms-length]")));

        Type(page, new string('a', 160 - LinkLength - 1) + " {{ appointment_link }}");
        page.WaitForAssertion(() => Assert.Equal("1 text message · 160 characters · GSM-7", page.Find("[data-testid=sms-length]").TextContent.Trim()));

        Type(page, new string('a', 161 - LinkLength - 1) + " {{ appointment_link }}");
        page.WaitForAssertion(() => Assert.Equal("2 text messages · 161 characters · GSM-7", page.Find("[data-testid=sms-length]").TextContent.Trim()));

        Type(page, "Rappel pour août {{ appointment_link }}");
        page.WaitForAssertion(() => Assert.Equal("2 text messages · 102 characters · UCS-2", page.Find("[data-testid=sms-length]").TextContent.Trim()));
        Assert.Contains("makes each part hold 67 characters instead of 153", page.Markup);
        Assert.DoesNotContain(page.FindAll("label"), l => l.TextContent.Trim() == "Subject"); // a text message has none
    }

    [Fact]
    public void An_email_template_shows_no_text_message_count()
    {
        var page = RenderWithProviders<TemplateEditorPage>((nameof(TemplateEditorPage.Kind), nameof(PortalApp.Data.TemplateKind.AppointmentReminderEmail)));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=template-preview-subject]")));
        Assert.Empty(page.FindAll("[data-testid=sms-length]"));
    }
}
