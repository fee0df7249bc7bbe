using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.ClientCards;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Reviewing;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms.Reviewing;

/// <summary>The client card's Intake forms tab, the response view and Forms to review, over the real service and database.</summary>
public sealed class ResponsePagesTests : PortalBunitContext
{
    private Client _emma = null!;
    private Client _noah = null!;
    private FormResponse _emmas = null!;
    private FormResponse _noahs = null!;

    protected override async Task SeedAsync()
    {
        _emma = await Host.AddClientAsync("Emma", "Smith");
        _noah = await Host.AddClientAsync("Noah", "Jones", email: "noah@example.com", phone: "(416) 555-0102");
        var now = Host.Time.GetUtcNow().UtcDateTime;
        await using var db = await Host.DbAsync();
        var version = await FormSeeds.PublishAsync(db, EveryType, now.AddDays(-10));
        var sent = await FormSeeds.AssignAsync(db, _emma.Id, version, now.AddDays(-3));
        await FormSeeds.AssignAsync(db, _emma.Id, version, now.AddDays(-2));
        _emmas = await FormSeeds.RespondAsync(db, _emma.Id, version, Answers(("name", FormAnswer.Of("Emma")), ("smoker", FormAnswer.Of("false")),
            ("per-day", FormAnswer.Of("20")), ("staff-note", FormAnswer.Of("Call back"))), now.AddDays(-1), sent, filledBy: "Jane Doe");
        db.FormResponses.Attach(_emmas);
        _emmas.FilledForClientName = "Emma Smith";
        await db.SaveChangesAsync();
        _noahs = await FormSeeds.RespondAsync(db, _noah.Id, version, Answers(("name", FormAnswer.Of("Noah"))), now.AddDays(-5));
    }

    [Fact]
    public void The_client_card_has_an_Intake_forms_tab_with_sent_forms_and_responses()
    {
        var card = RenderWithProviders<ClientCard>((nameof(ClientCard.ClientId), _emma.Id));
        card.WaitForAssertion(() => Assert.Contains("Emma Smith", card.Find("h1").TextContent));

        card.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Intake forms").Click();

        card.WaitForAssertion(() => Assert.NotNull(card.Find("[data-testid=responses]")));
        var sent = card.FindAll("[data-testid=sent-forms] tbody tr").Select(r => r.QuerySelectorAll("td")[1].TextContent.Trim()).ToList();
        Assert.Equal(["To do", "Submitted Tue 3 Mar 2026, 10:00 AM"], sent);
        var response = card.Find("[data-testid=responses] tbody tr");
        Assert.Contains("Jane Doe (caregiver)", response.TextContent);
        Assert.Contains("Not reviewed", response.TextContent);
        Assert.Equal($"/clients/{_emma.Id}/forms/{_emmas.Id}", response.QuerySelector("a[aria-label^='Open']")!.GetAttribute("href"));
    }

    [Fact]
    public void The_response_view_leaves_out_hidden_answers_and_marks_staff_only_questions()
    {
        var page = RenderWithProviders<FormResponsePage>((nameof(FormResponsePage.ClientId), _emma.Id), (nameof(FormResponsePage.ResponseId), _emmas.Id));

        page.WaitForAssertion(() => Assert.Contains("Every type: Emma Smith", page.Find("h1").TextContent));
        Assert.Equal("Emma", page.Find("dl[data-link-id='name'] dd").TextContent);
        Assert.Empty(page.FindAll("dl[data-link-id='per-day']")); // posted, but hidden by its rule
        Assert.DoesNotContain(">20<", page.Markup);
        Assert.Equal("Staff only", page.Find("dl[data-link-id='staff-note'] .staff-only-tag").TextContent);
        Assert.Equal("No answer", page.Find("dl[data-link-id='story'] dd").TextContent);
        Assert.Equal(["Section one", "Section two"], page.FindAll("h2.answer-section").Select(h => h.TextContent));
    }

    [Fact]
    public async Task A_practitioner_marks_a_response_reviewed_and_the_page_says_who()
    {
        SignInAs(Staff.Practitioner);
        var page = RenderWithProviders<FormResponsePage>((nameof(FormResponsePage.ClientId), _emma.Id), (nameof(FormResponsePage.ResponseId), _emmas.Id));
        page.WaitForAssertion(() => page.Find("[data-testid=mark-reviewed]"));

        page.Find("[data-testid=mark-reviewed]").Click();

        page.WaitForAssertion(() => Assert.StartsWith("Reviewed by Dr. Amara Okafor on", page.Find("[data-testid=review-state]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=mark-reviewed]"));
        await using var db = await Host.DbAsync();
        Assert.Equal("Dr. Amara Okafor", (await db.FormResponses.SingleAsync(r => r.Id == _emmas.Id)).ReviewedByName);
    }

    [Fact]
    public void Front_desk_staff_see_the_response_without_a_Mark_reviewed_button()
    {
        var page = RenderWithProviders<FormResponsePage>((nameof(FormResponsePage.ClientId), _emma.Id), (nameof(FormResponsePage.ResponseId), _emmas.Id));

        page.WaitForAssertion(() => Assert.Equal("Not reviewed yet", page.Find("[data-testid=review-state]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=mark-reviewed]"));
        Assert.Contains("No PDF was kept for this response.", page.Markup);
    }

    [Fact]
    public void Forms_to_review_lists_the_clinics_unreviewed_responses_oldest_first_with_the_client()
    {
        var page = RenderWithProviders<FormsToReviewPage>();

        page.WaitForAssertion(() => Assert.Equal("2 submitted forms wait for review, oldest first.", page.Find("[data-testid=review-count]").TextContent.Trim()));
        var rows = page.FindAll("[data-testid=responses] tbody tr");
        Assert.Equal(["Noah Jones", "Emma Smith"], rows.Select(r => r.QuerySelector("td")!.TextContent.Trim()));
        Assert.Equal($"/clients/{_noah.Id}/forms/{_noahs.Id}", rows[0].QuerySelector("a[aria-label^='Open']")!.GetAttribute("href"));
    }
}
