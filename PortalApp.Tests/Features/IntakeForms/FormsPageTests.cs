using System.Reflection;
using Bunit;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Components.Layout;
using PortalApp.Features.IntakeForms;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.IntakeForms.TestForms;
using Task = System.Threading.Tasks.Task;

namespace PortalApp.Tests.Features.IntakeForms;

/// <summary>The Forms page: the list, New form, and Import FHIR Questionnaire, over the real service and database.</summary>
public sealed class FormsPageTests : PortalBunitContext
{
    private IntakeFormService Forms => Host.Scoped<IntakeFormService>();

    protected override Task SeedAsync()
    {
        SignInAs(Staff.Practitioner);
        return Task.CompletedTask;
    }

    private string Path => new Uri(Services.GetRequiredService<NavigationManager>().Uri).AbsolutePath;

    private async Task<int> FormCountAsync()
    {
        await using var db = await Host.DbAsync();
        return await db.IntakeForms.CountAsync();
    }

    private static string Row(IRenderedComponent<MudTestHost> page, string title) =>
        page.FindAll("tbody tr").Single(r => r.QuerySelector("a")!.TextContent == title).TextContent;

    [Fact]
    public async Task Each_form_shows_its_latest_version_or_that_it_is_unpublished_and_archived_ones_wait_behind_the_switch()
    {
        var sleep = Assert.IsType<FormDraftResult.Saved>(await Forms.CreateAsync("Sleep", Staff.Admin));
        var saved = Assert.IsType<FormDraftResult.Saved>(await Forms.SaveDraftAsync(sleep.Id, EveryType with { Title = "Sleep" }, sleep.Version, Staff.Admin));
        Assert.IsType<FormPublishResult.Published>(await Forms.PublishAsync(sleep.Id, Staff.Admin));
        Assert.IsType<FormDraftResult.Saved>(await Forms.CreateAsync("Diet", Staff.Admin));
        var phq = (await Forms.ListAsync()).Single(f => f.Title == "PHQ-9");
        Assert.IsType<Outcome.Done>(await Forms.ArchiveAsync(phq.Id, Staff.Admin));

        var page = RenderWithProviders<FormsPage>();

        page.WaitForAssertion(() => Assert.Contains("Version 1, published 4 Mar 2026", Row(page, "Sleep")));
        Assert.DoesNotContain("Unpublished changes", Row(page, "Sleep"));
        Assert.Contains("Not published yet", Row(page, "Diet"));
        Assert.Contains("Unpublished changes", Row(page, "Diet"));
        Assert.Equal($"/admin/forms/{sleep.Id}", page.FindAll("tbody a").Single(a => a.TextContent == "Sleep").GetAttribute("href"));
        Assert.DoesNotContain(page.FindAll("tbody a"), a => a.TextContent == "PHQ-9");

        page.Find("input[type=checkbox]").Change(true); // Show archived
        page.WaitForAssertion(() => Assert.Contains("Archived", Row(page, "PHQ-9")));
        Assert.DoesNotContain("Unpublished changes", Row(page, "PHQ-9"));
    }

    [Fact]
    public async Task New_form_asks_for_a_title_then_creates_the_form_and_opens_its_editor()
    {
        var page = RenderWithProviders<FormsPage>();

        page.FindAll("button").Single(b => b.TextContent.Trim() == "New form").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find(".mud-dialog input")));
        page.Find(".mud-dialog input").Input("Sleep habits");
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Create form").Click();

        page.WaitForAssertion(() => Assert.Matches("^/admin/forms/[0-9]+$", Path));
        var id = int.Parse(Path.Split('/')[^1]);
        Assert.Equal("Sleep habits", (await Forms.ListAsync()).Single(f => f.Id == id).Title);
    }

    [Fact]
    public async Task A_file_that_is_not_a_questionnaire_gives_the_parsers_message_and_changes_nothing()
    {
        var before = await FormCountAsync();
        var page = RenderWithProviders<FormsPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("{ \"resourceType\": \"Questionnaire\", \"item\": 7 }", "broken.json"));

        page.WaitForAssertion(() => Assert.Contains("broken.json: This is not a FHIR R4 Questionnaire PortalApp can read:", page.Find("[data-testid=import-problem]").TextContent));
        Assert.Equal(before, await FormCountAsync());
        Assert.Equal("/", Path);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_before_it_is_read()
    {
        var before = await FormCountAsync();
        var page = RenderWithProviders<FormsPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[FormLimits.MaxDefinitionJsonBytes + 1], "huge.json"));

        page.WaitForAssertion(() => Assert.Equal("huge.json is larger than 2 MB, the most PortalApp imports. Nothing was imported.",
            page.Find("[data-testid=import-problem]").TextContent.Trim()));
        Assert.Equal(before, await FormCountAsync());
    }

    [Fact]
    public async Task A_questionnaire_against_the_form_rules_lists_each_problem_and_imports_nothing()
    {
        var before = await FormCountAsync();
        var broken = new Questionnaire
        {
            Title = "Twice", Status = PublicationStatus.Active,
            Item = [new() { LinkId = "same", Type = Questionnaire.QuestionnaireItemType.String, Text = "One" },
                    new() { LinkId = "same", Type = Questionnaire.QuestionnaireItemType.String, Text = "Two" }],
        };
        var page = RenderWithProviders<FormsPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(new FhirJsonSerializer().SerializeToString(broken), "twice.json"));

        page.WaitForAssertion(() => Assert.StartsWith("twice.json cannot be used as it is, so nothing was imported:", page.Find("[data-testid=import-problem]").TextContent.Trim()));
        Assert.Contains(page.FindAll("[data-testid=import-problem] li"), li => li.TextContent.Contains("'Two' has the link id 'same', which another item already has"));
        Assert.Equal(before, await FormCountAsync());
    }

    [Fact]
    public async Task A_good_questionnaire_lands_as_a_new_draft_and_opens_in_the_editor()
    {
        var page = RenderWithProviders<FormsPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(FhirQuestionnaireMapper.ToQuestionnaireJson(EveryType), "every.questionnaire.json"));

        page.WaitForAssertion(() => Assert.Matches("^/admin/forms/[0-9]+$", Path));
        var form = (await Forms.ListAsync()).Single(f => f.Id == int.Parse(Path.Split('/')[^1]));
        Assert.Equal(("Every type", null, true), (form.Title, form.LatestVersionNumber, form.HasUnpublishedChanges));
    }

    [Fact]
    public void Both_pages_are_for_admins_and_practitioners_only()
    {
        foreach (var page in new[] { typeof(FormsPage), typeof(FormEditorPage) })
            Assert.Equal("Admin,Practitioner", page.GetCustomAttribute<AuthorizeAttribute>()?.Roles);
    }

    [Theory]
    [InlineData("FrontDesk", false)]
    [InlineData("Practitioner", true)]
    [InlineData("Admin", true)]
    public void The_nav_offers_Forms_to_admins_and_practitioners(string role, bool offered)
    {
        SignInAs(role switch { "Admin" => Staff.Admin, "Practitioner" => Staff.Practitioner, _ => Staff.FrontDesk });

        var nav = Render<StaffNavMenu>();

        Assert.Equal(offered, nav.FindAll("a").Any(a => a.GetAttribute("href") == "/admin/forms" && a.TextContent.Trim() == "Forms"));
    }
}
