using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Reviewing;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms.Reviewing;

/// <summary>The compare view: changed answers say so in words, long answers show their changed words, versions line up by link id.</summary>
public sealed class FormComparePageTests : PortalBunitContext
{
    private Client _emma = null!;
    private FormResponse _earlier = null!;
    private FormResponse _later = null!;

    private static FormDefinition Version(params FormItem[] items) =>
        new("Check-in", null, [new FormItem { LinkId = "s", Type = FormItemType.Group, Text = "About you", Items = items }]);

    protected override async Task SeedAsync()
    {
        _emma = await Host.AddClientAsync("Emma", "Smith");
        var now = Host.Time.GetUtcNow().UtcDateTime;
        await using var db = await Host.DbAsync();
        var v1 = await FormSeeds.PublishAsync(db, Version(
            Item("mood", FormItemType.String, "How are you?"), Item("pain", FormItemType.Text, "Describe your pain"), Item("pet", FormItemType.String, "Any pets?")), now.AddDays(-40));
        var v2 = await FormSeeds.PublishAsync(db, Version(
            Item("mood", FormItemType.String, "How are you?"), Item("pain", FormItemType.Text, "Describe your pain"), Item("sleep", FormItemType.String, "How do you sleep?")),
            now.AddDays(-20), v1.IntakeFormId);
        _earlier = await FormSeeds.RespondAsync(db, _emma.Id, v1, Answers(("mood", FormAnswer.Of("Fine")),
            ("pain", FormAnswer.Of("A sharp pain in my left knee when I climb stairs.")), ("pet", FormAnswer.Of("A cat"))), now.AddDays(-30));
        _later = await FormSeeds.RespondAsync(db, _emma.Id, v2, Answers(("mood", FormAnswer.Of("Fine")),
            ("pain", FormAnswer.Of("A dull pain in my left knee when I climb stairs.")), ("sleep", FormAnswer.Of("Badly"))), now.AddDays(-1));
    }

    private IRenderedComponent<MudTestHost> RenderCompare()
    {
        var page = RenderWithProviders<FormComparePage>((nameof(FormComparePage.ClientId), _emma.Id), (nameof(FormComparePage.ResponseId), _later.Id));
        page.WaitForAssertion(() => page.Find("[data-testid=compare-table]"));
        return page;
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<MudTestHost> page, string linkId) => page.Find($"tr[data-link-id='{linkId}']");

    [Fact]
    public void Changed_answers_carry_a_Changed_label_and_unchanged_ones_do_not()
    {
        var page = RenderCompare();

        Assert.Contains("3 of 4 answers changed between 2 Feb 2026 and 3 Mar 2026.", page.Find("[data-testid=compare-summary]").TextContent);
        Assert.Equal("Changed", Row(page, "pain").QuerySelector(".changed-tag")!.TextContent);
        Assert.Null(Row(page, "mood").QuerySelector(".changed-tag"));
        Assert.Equal(["Question", "Earlier: 2 Feb 2026 (version 1)", "Later: 3 Mar 2026 (version 2)"], page.FindAll("thead th").Select(th => th.TextContent.Trim()));
    }

    [Fact]
    public void A_long_answer_marks_the_removed_words_on_the_left_and_the_added_ones_on_the_right()
    {
        var page = RenderCompare();

        var cells = Row(page, "pain").QuerySelectorAll("td");
        Assert.Equal(["sharp"], cells[0].QuerySelectorAll("del").Select(d => d.TextContent));
        Assert.Equal(["dull"], cells[1].QuerySelectorAll("ins").Select(d => d.TextContent));
        Assert.Empty(cells[0].QuerySelectorAll("ins"));
        Assert.Equal("A dull pain in my left knee when I climb stairs.", cells[1].TextContent.Trim());
    }

    [Fact]
    public void A_question_only_one_version_asked_says_which_version_did_not_ask_it()
    {
        var page = RenderCompare();

        Assert.Equal(["A cat", "Not asked in version 2"], Row(page, "pet").QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal(["Not asked in version 1", "Badly"], Row(page, "sleep").QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public void Show_only_changes_hides_the_unchanged_rows()
    {
        var page = RenderCompare();
        Assert.NotNull(Row(page, "mood"));

        page.Find("input[type=checkbox]").Change(true);

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("tr[data-link-id='mood']")));
        Assert.Equal(["pain", "pet", "sleep"], page.FindAll("tr[data-link-id]").Select(r => r.GetAttribute("data-link-id")));
        Assert.Contains(page.FindAll("label"), l => l.TextContent.Trim() == "Show only changes" && l.QuerySelector("input[type=checkbox]") is not null);
    }

    [Fact]
    public void The_first_response_to_a_form_says_there_is_nothing_to_compare_with()
    {
        var page = RenderWithProviders<FormComparePage>((nameof(FormComparePage.ClientId), _emma.Id), (nameof(FormComparePage.ResponseId), _earlier.Id));

        page.WaitForAssertion(() => Assert.StartsWith("This is the first response to this form", page.Find("[data-testid=compare-refused]").TextContent.Trim()));
    }

    [Fact]
    public async Task With_three_responses_Compare_with_offers_the_other_two_newest_first_and_opens_the_one_picked()
    {
        await using (var db = await Host.DbAsync())
        {
            var version = await db.IntakeFormVersions.SingleAsync(v => v.Id == _later.IntakeFormVersionId);
            await FormSeeds.RespondAsync(db, _emma.Id, version, Answers(("mood", FormAnswer.Of("Tired"))), Host.Time.GetUtcNow().UtcDateTime.AddDays(-10));
        }
        var page = RenderCompare();

        var select = page.FindComponent<MudBlazor.MudSelect<int>>();
        Assert.Equal("Compare with", select.Instance.Label);
        var middle = await MiddleResponseIdAsync();
        // By default the one just before.
        Assert.Contains("between 22 Feb 2026 and 3 Mar 2026", page.Find("[data-testid=compare-summary]").TextContent);
        Assert.Equal([middle, _earlier.Id], page.FindComponents<MudBlazor.MudSelectItem<int>>().Select(i => i.Instance.Value));

        await page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(_earlier.Id));

        Assert.EndsWith($"/clients/{_emma.Id}/forms/{_later.Id}/compare?with={_earlier.Id}", Services.GetRequiredService<NavigationManager>().Uri);
    }

    private async Task<int> MiddleResponseIdAsync()
    {
        await using var db = await Host.DbAsync();
        return await db.FormResponses.Where(r => r.Id != _earlier.Id && r.Id != _later.Id).Select(r => r.Id).SingleAsync();
    }
}
