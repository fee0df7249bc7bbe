using Microsoft.Playwright;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

/// <summary>What a new user tripped over: links known only by colour, and a long address pushing a phone page sideways.</summary>
public sealed class ReadableLayoutTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static Task<string> DecorationAsync(ILocator link) => link.EvaluateAsync<string>("a => getComputedStyle(a).textDecorationLine");

    [Fact]
    public async Task Links_in_text_are_underlined_on_patient_and_staff_pages()
    {
        var (page, errors) = await browser.NewPageAsync(390, 844);
        await page.GotoAsync("/portal/sign-in");
        Assert.Equal("underline", await DecorationAsync(page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" })));
        await page.GotoAsync("/portal/forgot-password");
        Assert.Equal("underline", await DecorationAsync(page.GetByRole(AriaRole.Link, new() { Name = "Back to sign in" })));

        var (staff, staffErrors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(staff, "/clients", "frontdesk@demo.clinic");
        var clientLink = staff.Locator("tbody tr a").First;
        await Assertions.Expect(clientLink).ToBeVisibleAsync();
        Assert.Equal("underline", await DecorationAsync(clientLink));
        Assert.Empty(errors.Concat(staffErrors));
    }

    [Fact]
    public async Task A_long_email_without_a_hyphen_does_not_push_the_registration_page_sideways_at_390_px()
    {
        var client = await PortalForms.AddNoraAsync(browser.Server);
        await using (var db = await browser.Server.DbAsync())
        {
            var nora = await db.Clients.FindAsync(client.Id);
            nora!.Email = $"nora.{Guid.NewGuid():N}@maplegrovefamilyhealthandwellnesscentrepatientservices.example.com";
            await db.SaveChangesAsync();
        }
        var token = await PortalInvites.InviteAsync(browser.Server.Services, client.Id);
        var (page, errors) = await browser.NewPageAsync(390, 844);

        await page.GotoAsync($"/register/{token}");

        await Assertions.Expect(page.GetByText("maplegrovefamilyhealthandwellnesscentrepatientservices", new() { Exact = false })).ToBeVisibleAsync();
        Assert.InRange(await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), 0, 390);
        Assert.Empty(errors);
    }
}
