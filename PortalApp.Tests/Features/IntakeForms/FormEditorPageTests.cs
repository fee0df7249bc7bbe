using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Features.IntakeForms;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms;

/// <summary>The form editor page: builder, live preview, save with its conflict check, publish, discard, archive, versions.</summary>
public sealed class FormEditorPageTests : PortalBunitContext
{
    private IntakeFormService Forms => Host.Scoped<IntakeFormService>();

    protected override Task SeedAsync()
    {
        SignInAs(Staff.Practitioner);
        return Task.CompletedTask;
    }

    private IRenderedComponent<MudTestHost> Open(int id)
    {
        var page = RenderWithProviders<FormEditorPage>((nameof(FormEditorPage.Id), id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("h1")));
        return page;
    }

    private async Task<int> NewFormAsync(FormDefinition definition)
    {
        var created = Assert.IsType<FormDraftResult.Saved>(await Forms.CreateAsync(definition.Title, Staff.Admin));
        Assert.IsType<FormDraftResult.Saved>(await Forms.SaveDraftAsync(created.Id, definition, created.Version, Staff.Admin));
        return created.Id;
    }

    private static IElement Button(IRenderedComponent<MudTestHost> page, string text) =>
        page.FindAll("button").Single(b => (b.GetAttribute("aria-label") ?? b.TextContent.Trim()) == text);

    private static IElement Input(IRenderedComponent<MudTestHost> page, string label) =>
        page.Find($"[id='{page.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for")}']");

    private static string SaveState(IRenderedComponent<MudTestHost> page) => page.Find("[data-testid=save-state]").TextContent.Trim();

    /// <summary>Answers the confirm dialog that is open, by its yes button.</summary>
    private static void Confirm(IRenderedComponent<MudTestHost> page, string title, string yes)
    {
        page.WaitForAssertion(() => Assert.Contains(title, page.Find(".mud-dialog").TextContent));
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == yes).Click();
    }

    [Fact]
    public async Task An_edit_shows_in_the_preview_and_as_unsaved_until_save_draft_stores_it()
    {
        var id = await NewFormAsync(EveryType);
        var page = Open(id);
        Assert.Equal("All changes saved", SaveState(page));
        Assert.True(Button(page, "Save draft").HasAttribute("disabled"));

        Input(page, "Question 2 label").Change("Your full legal name");

        Assert.Equal("Unsaved changes", SaveState(page));
        Assert.Contains("Your full legal name", page.Find("iframe").GetAttribute("srcdoc"));
        Button(page, "Save draft").Click();
        page.WaitForAssertion(() => Assert.Equal("All changes saved", SaveState(page)));
        Assert.Equal("Your full legal name", (await Forms.GetDraftAsync(id))!.Definition.Items[0].Items[1].Text);
    }

    [Fact]
    public async Task A_save_after_someone_else_saved_says_so_keeps_what_was_typed_and_offers_to_reload()
    {
        var id = await NewFormAsync(EveryType);
        var page = Open(id);
        Input(page, "Question 2 label").Change("Typed here");
        var other = (await Forms.GetDraftAsync(id))!;
        Assert.IsType<FormDraftResult.Saved>(await Forms.SaveDraftAsync(id, other.Definition with { Title = "Saved elsewhere" }, other.Version, Staff.Admin));

        Button(page, "Save draft").Click();

        page.WaitForAssertion(() => Assert.Contains(IntakeFormService.ConflictMessage, page.Find("[data-testid=save-refused]").TextContent));
        Assert.Equal("Typed here", Input(page, "Question 2 label").GetAttribute("value"));
        Assert.Equal("Unsaved changes", SaveState(page));
        Assert.Equal("Saved elsewhere", (await Forms.GetDraftAsync(id))!.Definition.Title);

        Button(page, "Reload the saved form").Click();
        page.WaitForAssertion(() => Assert.Equal("Saved elsewhere", Input(page, "Form title").GetAttribute("value")));
        Assert.Empty(page.FindAll("[data-testid=save-refused]"));
    }

    [Fact]
    public async Task Publish_names_the_version_it_will_be_and_lists_every_problem_by_question()
    {
        var id = await NewFormAsync(new FormDefinition("Habits", null,
        [
            Item("s1", FormItemType.Group, "About you") with
            {
                Items = [Item("q1", FormItemType.Choice, "How often?"), Item("q2", FormItemType.String, "")],
            },
        ]));
        var page = Open(id);

        Button(page, "Publish").Click();
        Confirm(page, "Publish version 1?", "Publish version 1");

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=form-problems] li").Count));
        var problems = page.FindAll("[data-testid=form-problems] li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal("Question 1: 'How often?' is a choice question: give it at least one option.", problems[0]);
        Assert.Equal("Question 2: The item 'q2' needs its text.", problems[1]);
        Assert.Empty(await Forms.ListVersionsAsync(id));
    }

    [Fact]
    public async Task Publishing_saves_what_is_on_screen_makes_version_1_and_lists_it_with_its_export()
    {
        var id = await NewFormAsync(EveryType);
        var page = Open(id);
        Assert.Contains("Not published yet", page.Find("[data-testid=draft-note]").TextContent);
        Input(page, "Question 2 label").Change("Your name");

        Button(page, "Publish").Click();
        Confirm(page, "Publish version 1?", "Publish version 1");

        page.WaitForAssertion(() => Assert.Equal("You are editing a draft. Patients keep getting version 1 until you publish.", page.Find("[data-testid=draft-note]").TextContent));
        var published = (await Forms.GetLatestVersionAsync(id))!;
        Assert.Equal((1, "Your name"), (published.Number, published.Definition.Items[0].Items[1].Text));
        Assert.Contains("Dr. Amara Okafor", page.Find("[data-version='1']").TextContent);
        Assert.Equal(FormExportEndpoint.PathFor(id, 1), page.Find("[data-version='1'] a").GetAttribute("href"));
        Assert.True(Button(page, "Publish").HasAttribute("disabled")); // nothing left to publish
    }

    [Fact]
    public async Task A_starter_form_opens_as_its_published_version_and_discard_takes_saved_changes_back()
    {
        var phq = (await Forms.ListAsync()).Single(f => f.Title == "PHQ-9");
        var page = Open(phq.Id);
        Assert.Equal("You are editing a draft. Patients keep getting version 1 until you publish.", page.Find("[data-testid=draft-note]").TextContent);
        Assert.True(Button(page, "Discard changes").HasAttribute("disabled"));
        Input(page, "Form title").Change("PHQ-9 (changed)");
        Button(page, "Save draft").Click();
        page.WaitForAssertion(() => Assert.Equal("All changes saved", SaveState(page)));

        Button(page, "Discard changes").Click();
        Confirm(page, "Discard changes?", "Discard changes");

        page.WaitForAssertion(() => Assert.Equal("PHQ-9", Input(page, "Form title").GetAttribute("value")));
        Assert.Equal(FormJson.Serialize(StarterForms.Phq9), FormJson.Serialize((await Forms.GetDraftAsync(phq.Id))!.Definition));
        Assert.True(Button(page, "Discard changes").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Archive_asks_first_then_returns_to_the_list()
    {
        var id = await NewFormAsync(EveryType);
        var page = Open(id);

        Button(page, "Archive").Click();
        Confirm(page, "Archive this form?", "Archive");

        page.WaitForAssertion(() => Assert.EndsWith("/admin/forms", Services.GetRequiredService<NavigationManager>().Uri));
        Assert.True((await Forms.ListAsync(includeArchived: true)).Single(f => f.Id == id).IsArchived);
    }

    [Fact]
    public async Task An_archived_form_opens_with_its_preview_and_versions_but_no_builder()
    {
        var id = await NewFormAsync(EveryType);
        Assert.IsType<Outcome.Done>(await Forms.ArchiveAsync(id, Staff.Admin));

        var reopened = Open(id);

        Assert.Contains("Every type", reopened.Find("iframe").GetAttribute("srcdoc"));
        Assert.Contains("This form is archived", reopened.Markup);
        Assert.DoesNotContain(reopened.FindAll("label"), l => l.TextContent.Trim() == "Form title");
        Assert.True(Button(reopened, "Save draft").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Front_desk_staff_who_reach_the_editor_anyway_are_refused_by_the_service()
    {
        var id = await NewFormAsync(EveryType);
        SignInAs(Staff.FrontDesk);
        var page = Open(id);
        Input(page, "Question 2 label").Change("Changed by front desk");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Button(page, "Save draft").ClickAsync(new()));

        Assert.NotEqual("Changed by front desk", (await Forms.GetDraftAsync(id))!.Definition.Items[0].Items[1].Text);
    }
}
