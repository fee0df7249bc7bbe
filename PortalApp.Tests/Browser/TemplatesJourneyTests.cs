using Microsoft.Playwright;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

public sealed class TemplatesJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_writes_a_new_invite_template_with_a_live_preview_and_cannot_save_it_without_the_link()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "/admin/templates", "admin@demo.clinic");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Portal invite" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New template" }).First.ClickAsync();

        await page.GetByLabel("Name").FillAsync("Short and sweet");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Subject" }).FillAsync("Hi {{ patient.first_name }}, your portal awaits");
        await Assertions.Expect(page.GetByTestId("template-preview-subject")).ToHaveTextAsync("Hi Alex, your portal awaits");

        var body = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await body.FillAsync("Welcome to {{ clinic.name }}!");
        await Assertions.Expect(page.GetByTestId("template-preview-problem")).ToContainTextAsync("An invite must contain {{ invite_link }}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The template was not saved")).ToBeVisibleAsync();

        await body.FillAsync("Welcome to {{ clinic.name }}! [Register]({{ invite_link }})");
        var frame = page.FrameLocator("iframe.email-frame");
        await Assertions.Expect(frame.GetByRole(AriaRole.Link, new() { Name = "Register" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("8-template-editor"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Template saved.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to templates" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Short and sweet" })).ToBeVisibleAsync();
        Assert.Empty(errors);
    }
}
