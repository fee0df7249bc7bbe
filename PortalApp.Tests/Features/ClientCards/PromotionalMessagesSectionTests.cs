using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Bulk.Unsubscribe;
using PortalApp.Features.ClientCards;
using PortalApp.Tests.Features.Bulk.Unsubscribe;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.ClientCards;

/// <summary>The client card's Promotional messages section, on the card as staff use it.</summary>
public sealed class PromotionalMessagesSectionTests : PortalBunitContext
{
    private Client _emma = null!;

    protected override async Task SeedAsync() => _emma = await Host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7));

    private IRenderedComponent<MudTestHost> RenderCard()
    {
        var card = RenderWithProviders<ClientCard>((nameof(ClientCard.ClientId), _emma.Id));
        card.WaitForAssertion(() => Assert.Equal("No consent: none recorded, and no visit yet.", Text(card, "promotional-consent")));
        return card;
    }

    private static string Text(IRenderedComponent<MudTestHost> card, string testId) => card.Find($"[data-testid={testId}]").TextContent.Trim();

    private static IElement Button(IRenderedComponent<MudTestHost> card, string text) => card.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private static bool HasButton(IRenderedComponent<MudTestHost> card, string text) => card.FindAll("button").Any(b => b.TextContent.Trim() == text);

    /// <summary>The input a label names, as a screen reader finds it.</summary>
    private static IElement Field(IRenderedComponent<MudTestHost> card, string label) =>
        card.Find($"#{card.FindAll("label").Single(l => l.TextContent.Trim().TrimEnd('*').Trim() == label).GetAttribute("for")}");

    private Task<Client> StoredAsync() => UnsubscribeTestData.ClientAsync(Host.DbAsync, _emma.Id);

    [Fact]
    public async Task The_front_desk_records_consent_in_a_labelled_field_and_the_card_says_so_and_still_saves_its_details()
    {
        var card = RenderCard();
        Assert.Equal("Not unsubscribed.", Text(card, "promotional-unsubscribe"));

        Button(card, "Record consent").Click();
        Field(card, "How was consent given?").Input("Signed the consent form at the desk");
        Button(card, "Save consent").Click();

        card.WaitForAssertion(() => Assert.Equal("Express consent, recorded Wed 4 Mar 2026, 10:00 AM: Signed the consent form at the desk.", Text(card, "promotional-consent")));
        card.WaitForAssertion(() => Assert.Contains("Consent recorded.", card.Markup));
        Assert.True(HasButton(card, "Clear recorded consent"));
        card.FindAll("input")[2].Change("Em"); // preferred name, in the Details form above: saves against the card's new version
        card.Find("[data-testid=save-client]").Click();
        card.WaitForAssertion(() => Assert.Contains("Client details saved.", card.Markup));
        var stored = await StoredAsync();
        Assert.Equal(("Signed the consent form at the desk", "Em"), (stored.PromotionalConsentSource, stored.PreferredName));
    }

    [Fact]
    public async Task Saving_an_unsubscribe_without_saying_how_gets_its_message_beside_the_field_and_saves_nothing()
    {
        var card = RenderCard();

        Button(card, "Record unsubscribe").Click();
        Assert.NotNull(Field(card, "How did the patient ask?"));
        Button(card, "Save unsubscribe").Click();

        card.WaitForAssertion(() => Assert.Contains("Say how the patient asked, for example “Asked on the phone”.", card.Markup));
        Assert.Null((await StoredAsync()).PromotionalOptOutAtUtc);

        Field(card, "How did the patient ask?").Input("Asked on the phone");
        Button(card, "Save unsubscribe").Click();
        card.WaitForAssertion(() => Assert.Equal("Unsubscribed Wed 4 Mar 2026, 10:00 AM: Asked on the phone. No promotional messages go to this client.",
            Text(card, "promotional-unsubscribe")));
        Assert.False(HasButton(card, "Record unsubscribe"));
    }

    [Fact]
    public void A_practitioner_reads_the_section_but_is_offered_nothing_to_record()
    {
        SignInAs(Staff.Practitioner);

        var card = RenderCard();

        Assert.Contains("Front desk staff and admins record consent and unsubscribes.", card.Markup);
        Assert.False(HasButton(card, "Record consent"));
        Assert.False(HasButton(card, "Record unsubscribe"));
    }

    [Fact]
    public async Task A_card_opened_before_the_patient_unsubscribed_is_refused_and_says_to_reload()
    {
        var card = RenderCard();
        var (_, token) = await UnsubscribeTestData.SentToAsync(Host.DbAsync, _emma.Id, Host.Time.GetUtcNow().UtcDateTime.AddDays(-1));
        await Host.Scoped<UnsubscribeService>().UnsubscribeAsync(token, UnsubscribeVia.OneClick);

        Button(card, "Record consent").Click();
        Field(card, "How was consent given?").Input("Signed the consent form at the desk");
        Button(card, "Save consent").Click();

        card.WaitForAssertion(() => Assert.Contains(PromotionalConsentService.ConflictMessage, card.Markup));
        var stored = await StoredAsync();
        Assert.Equal((null, UnsubscribeWords.ViaOneClick), (stored.PromotionalConsentAtUtc, stored.PromotionalOptOutVia));
    }
}
