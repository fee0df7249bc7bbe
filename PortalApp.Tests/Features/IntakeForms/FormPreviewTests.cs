using Bunit;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Builder;

namespace PortalApp.Tests.Features.IntakeForms;

public sealed class FormPreviewTests : BunitContext
{
    private static FormDefinition Form(string question, string title = "Health history") => new(title, null,
        [new FormItem { LinkId = "s1", Type = FormItemType.Group, Text = "About you", Items = [new FormItem { LinkId = "q1", Type = FormItemType.String, Text = question }] }]);

    [Fact]
    public void The_preview_is_a_titled_sandboxed_frame_with_the_patients_fields()
    {
        var preview = Render<FormPreview>(p => p.Add(f => f.Definition, Form("Do you smoke?")));

        var frame = preview.Find("iframe");
        Assert.Equal("Preview as the patient sees it: Health history", frame.GetAttribute("title"));
        Assert.Equal("", frame.GetAttribute("sandbox"));
        var html = frame.GetAttribute("srcdoc")!;
        Assert.Contains("<label for=\"f-q1\">Do you smoke?", html);
        Assert.Contains("name=\"a.q1\"", html);
        Assert.Contains("app.css", html);
    }

    [Fact]
    public void The_preview_follows_the_builder()
    {
        var preview = Render<FormPreview>(p => p.Add(f => f.Definition, Form("Do you smoke?")));

        preview.Render(p => p.Add(f => f.Definition, Form("Do you vape?")));

        Assert.Contains("Do you vape?", preview.Find("iframe").GetAttribute("srcdoc"));
        Assert.DoesNotContain("Do you smoke?", preview.Find("iframe").GetAttribute("srcdoc"));
    }

    [Fact]
    public void Markup_typed_into_a_question_is_shown_as_text_in_the_preview()
    {
        var preview = Render<FormPreview>(p => p.Add(f => f.Definition, Form("<img src=x onerror=alert(1)>", "</title><script>alert(2)</script>")));

        var html = preview.Find("iframe").GetAttribute("srcdoc")!;
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("&lt;img", html);
    }
}
