using PortalApp.Data;
using PortalApp.Features.Templates;

namespace PortalApp.Tests.Features.Templates;

/// <summary>The plain-text part of a templated email reads as plain text: no Markdown marks, links written out.</summary>
public sealed class MarkdownTextTests
{
    private readonly TemplateRenderer _renderer = new();

    private static readonly TemplateModel Model = new(
        "Emma", null, "Smith", "Maple Grove", "(416) 555-0100", "120 Maple Ave",
        StaffName: "Fran Desk", InviteLink: "https://portal.example/register/abc_DEF-123", InviteExpiresOn: "Wednesday 11 March 2026",
        SignInLink: "https://portal.example/portal/sign-in", CaregiverFirstName: "Sam", CaregiverLastName: "Rivera",
        Relationship: "your child", Access: "appointments only");

    private async Task<string> TextAsync(string body) =>
        Assert.IsType<TemplateRenderResult.Rendered>(await _renderer.RenderAsync("s", body, Model)).Template.BodyText;

    [Theory]
    [InlineData(TemplateKind.PortalInvite, "Create your portal account: https://portal.example/register/abc_DEF-123")]
    [InlineData(TemplateKind.CaregiverInvite, "Set up your access: https://portal.example/register/abc_DEF-123")]
    [InlineData(TemplateKind.PortalMessageNotification, "Sign in to read it: https://portal.example/portal/sign-in")]
    public async Task The_default_templates_read_as_plain_text_with_their_links_written_out(TemplateKind kind, string linkLine)
    {
        var template = DefaultTemplates.For(kind, DateTime.UtcNow);

        var text = await TextAsync(template.Body);

        Assert.Contains("\n" + linkLine + "\n", text);
        Assert.DoesNotContain("**", text);
        Assert.DoesNotContain("](", text);
        Assert.DoesNotContain("[", text);
        Assert.StartsWith("Hello ", text);
        Assert.Contains("\n\n", text); // paragraphs stay apart
    }

    [Fact]
    public async Task The_caregiver_invite_keeps_its_paragraphs_and_its_sign_off_lines()
    {
        var text = await TextAsync(DefaultTemplates.For(TemplateKind.CaregiverInvite, DateTime.UtcNow).Body);

        Assert.Contains("It works until Wednesday 11 March 2026. When you open it", text);
        Assert.EndsWith("Warm regards,\nFran Desk at Maple Grove", text);
    }

    [Fact]
    public async Task Headings_emphasis_lists_and_quotes_lose_their_marks_but_keep_their_shape()
    {
        var text = await TextAsync("""
            # Your visit

            Bring _your card_ and **a list** of ~~old~~ medicines:

            - your health card
            - your medicines
              in their boxes

            1. Arrive early
            2. Check in

            > Parking is free.

            Write to <mailto:front@clinic.example> or [us](mailto:front@clinic.example), or see https://clinic.example.
            """);

        Assert.Equal("""
            Your visit

            Bring your card and a list of old medicines:

            - your health card
            - your medicines
              in their boxes

            1. Arrive early
            2. Check in

            > Parking is free.

            Write to front@clinic.example or us: front@clinic.example, or see https://clinic.example.
            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public async Task The_message_template_keeps_the_room_it_leaves_for_staff_to_write()
    {
        var text = await TextAsync(DefaultTemplates.For(TemplateKind.PortalMessage, DateTime.UtcNow).Body);

        Assert.Equal("Hello Emma,\n\n\n\nKind regards,\nFran Desk\nMaple Grove", text);
    }

    [Fact]
    public async Task A_link_whose_text_is_its_address_is_written_once()
    {
        Assert.Equal("Open https://portal.example/portal/sign-in now", await TextAsync("Open [{{ sign_in_link }}]({{ sign_in_link }}) now"));
    }
}
