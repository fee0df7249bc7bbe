using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Features.Bulk.Unsubscribe;
using PortalApp.Features.Clinic;
using PortalApp.Tests.Features.Bulk.Unsubscribe;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

/// <summary>A patient unsubscribes from the link in a promotional email, on a phone, in a real browser.</summary>
public sealed class UnsubscribeJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_patient_unsubscribes_from_the_emailed_link_on_a_phone_and_each_page_meets_wcag_2_1_aa()
    {
        int clientId;
        await using (var db = await browser.Server.DbAsync())
            clientId = (await db.Clients.Where(c => c.EndDate == null && c.MergedIntoClientId == null && c.PromotionalOptOutAtUtc == null).OrderBy(c => c.Id).FirstAsync()).Id;
        var (_, token) = await UnsubscribeTestData.SentToAsync(browser.Server.DbAsync, clientId, DateTime.UtcNow.AddDays(-1));
        var (page, errors) = await browser.NewPageAsync(390, 844);

        await page.GotoAsync(ClinicView.UnsubscribeLinkPath + token);

        await Assertions.Expect(page).ToHaveTitleAsync("Unsubscribe · Maple Grove Family Health");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Unsubscribe from promotional messages" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Messages about your care and your appointments still come.")).ToBeVisibleAsync();
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe", Exact = true });
        var box = (await button.BoundingBoxAsync())!;
        Assert.True(box.Height >= 44 && box.X >= 0 && box.X + box.Width <= 390, $"The button should be a thumb's size and on screen: {box.Width}×{box.Height} at {box.X}");
        await Axe.AssertAccessibleAsync(page, "unsubscribe page");

        await button.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are unsubscribed" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("you get no promotional messages from Maple Grove Family Health");
        await Assertions.Expect(page).ToHaveTitleAsync("Unsubscribed · Maple Grove Family Health");
        await Axe.AssertAccessibleAsync(page, "unsubscribed page");
        Assert.Equal(UnsubscribeWords.ViaLinkPage, (await UnsubscribeTestData.ClientAsync(browser.Server.DbAsync, clientId)).PromotionalOptOutVia);
        Assert.Empty(errors);

        await page.GotoAsync(ClinicView.UnsubscribeLinkPath + PortalApp.Security.SecretTokens.NewToken());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link can't be used" })).ToBeVisibleAsync();
        await Axe.AssertAccessibleAsync(page, "unusable unsubscribe link");
    }

    [Fact]
    public async Task A_french_speaking_patient_unsubscribes_in_french_and_each_page_meets_wcag_2_1_aa()
    {
        int clientId;
        await using (var db = await browser.Server.DbAsync())
        {
            var client = await db.Clients.Where(c => c.EndDate == null && c.MergedIntoClientId == null && c.PromotionalOptOutAtUtc == null)
                .OrderByDescending(c => c.Id).FirstAsync();
            client.PreferredLanguage = ClientLanguage.French;
            await db.SaveChangesAsync();
            clientId = client.Id;
        }
        var (_, token) = await UnsubscribeTestData.SentToAsync(browser.Server.DbAsync, clientId, DateTime.UtcNow.AddDays(-1));
        var (page, errors) = await browser.NewPageAsync(390, 844);

        await page.GotoAsync(ClinicView.UnsubscribeLinkPath + token);

        await Assertions.Expect(page).ToHaveTitleAsync("Désabonnement · Maple Grove Family Health");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Se désabonner des messages promotionnels" })).ToBeVisibleAsync();
        await Axe.AssertAccessibleAsync(page, "unsubscribe page in French");

        await page.GetByRole(AriaRole.Button, new() { Name = "Se désabonner", Exact = true }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Votre désabonnement est enregistré" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("vous ne recevez plus de messages promotionnels de Maple Grove Family Health");
        await Axe.AssertAccessibleAsync(page, "unsubscribed page in French");
        Assert.Equal(UnsubscribeWords.ViaLinkPage, (await UnsubscribeTestData.ClientAsync(browser.Server.DbAsync, clientId)).PromotionalOptOutVia);
        Assert.Empty(errors);

        await page.GotoAsync(ClinicView.UnsubscribeLinkPath + PortalApp.Security.SecretTokens.NewToken());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ce lien ne peut pas être utilisé" })).ToBeVisibleAsync();
    }
}
