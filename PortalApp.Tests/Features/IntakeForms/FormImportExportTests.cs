using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Features.IntakeForms;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms;

/// <summary>The Forms page's FHIR import and the editor's export and Versions list, on the service.</summary>
[Trait("Providers", "Both")]
public sealed class FormImportExportTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private IntakeFormService Forms => _host.Scoped<IntakeFormService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<int> FormCountAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.IntakeForms.CountAsync();
    }

    private async Task<List<string>> IntakeAuditAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.AuditEvents.Where(a => a.Action.StartsWith("intake-form.")).OrderBy(a => a.Id).Select(a => a.Action + ": " + a.Details).ToListAsync();
    }

    [Fact]
    public async Task An_imported_questionnaire_becomes_a_new_unpublished_draft_and_is_audited()
    {
        var json = FhirQuestionnaireMapper.ToQuestionnaireJson(EveryType);

        var saved = Assert.IsType<FormDraftResult.Saved>(await Forms.ImportAsync(json, Staff.Practitioner));

        var draft = (await Forms.GetDraftAsync(saved.Id))!;
        Assert.Equal((true, (int?)null), (draft.HasDraft, draft.LatestVersionNumber));
        Assert.Equal(FormJson.Serialize(EveryType), FormJson.Serialize(draft.Definition));
        var row = (await Forms.ListAsync()).Single(f => f.Id == saved.Id);
        Assert.Equal(("Every type", true), (row.Title, row.HasUnpublishedChanges));
        Assert.Empty(await Forms.ListVersionsAsync(saved.Id));
        Assert.StartsWith("intake-form.import: Form 'Every type' from a FHIR Questionnaire", Assert.Single(await IntakeAuditAsync()));
    }

    [Theory]
    [InlineData("{ not json", "This is not a FHIR R4 Questionnaire PortalApp can read")]
    [InlineData("", "The file is empty")]
    [InlineData("""{"resourceType":"Patient","id":"p1"}""", "This is not a FHIR R4 Questionnaire PortalApp can read")]
    public async Task A_file_the_parser_refuses_gives_its_reason_and_adds_nothing(string json, string reason)
    {
        var before = await FormCountAsync();

        var refused = Assert.IsType<FormDraftResult.Refused>(await Forms.ImportAsync(json, Staff.Admin));

        Assert.StartsWith(reason, refused.Reason);
        Assert.Equal(before, await FormCountAsync());
        Assert.Empty(await IntakeAuditAsync());
    }

    [Fact]
    public async Task A_questionnaire_that_breaks_the_form_rules_is_refused_naming_each_problem()
    {
        var questionnaire = new Questionnaire
        {
            Title = "Broken", Status = PublicationStatus.Active,
            Item = [new() { LinkId = "same", Type = Questionnaire.QuestionnaireItemType.String, Text = "One" },
                    new() { LinkId = "same", Type = Questionnaire.QuestionnaireItemType.String, Text = "Two" }],
        };
        var before = await FormCountAsync();

        var invalid = Assert.IsType<FormDraftResult.Invalid>(await Forms.ImportAsync(new FhirJsonSerializer().SerializeToString(questionnaire), Staff.Admin));

        Assert.Contains(invalid.Problems, p => p.Message.Contains("'Two' has the link id 'same', which another item already has"));
        Assert.Equal(before, await FormCountAsync());
    }

    [Fact]
    public async Task Front_desk_staff_can_neither_import_nor_export()
    {
        var phq = (await Forms.ListAsync()).Single(f => f.Title == "PHQ-9");

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Forms.ImportAsync(FhirQuestionnaireMapper.ToQuestionnaireJson(EveryType), Staff.FrontDesk));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Forms.ExportAsync(phq.Id, null, Staff.FrontDesk));
    }

    [Fact]
    public async Task Export_gives_the_asked_version_or_else_the_latest_published_and_is_audited()
    {
        var created = Assert.IsType<FormDraftResult.Saved>(await Forms.CreateAsync("Sleep: a/b", Staff.Admin));
        Assert.NotNull(await Forms.ExportAsync(created.Id, null, Staff.Admin)); // nothing published yet: the draft
        Assert.EndsWith("the draft, as a FHIR Questionnaire", (await IntakeAuditAsync())[^1]);
        var v1 = EveryType with { Title = "Sleep: a/b" };
        var saved = Assert.IsType<FormDraftResult.Saved>(await Forms.SaveDraftAsync(created.Id, v1, created.Version, Staff.Admin));
        Assert.IsType<FormPublishResult.Published>(await Forms.PublishAsync(created.Id, Staff.Admin));
        var draft = (await Forms.GetDraftAsync(created.Id))!;
        var v2 = v1 with { Description = "Second" };
        Assert.IsType<FormDraftResult.Saved>(await Forms.SaveDraftAsync(created.Id, v2, draft.Version, Staff.Admin));
        Assert.IsType<FormPublishResult.Published>(await Forms.PublishAsync(created.Id, Staff.Admin));
        draft = (await Forms.GetDraftAsync(created.Id))!;
        Assert.IsType<FormDraftResult.Saved>(await Forms.SaveDraftAsync(created.Id, v2 with { Description = "Unpublished" }, draft.Version, Staff.Admin));

        var latest = (await Forms.ExportAsync(created.Id, null, Staff.Practitioner))!;
        var first = (await Forms.ExportAsync(created.Id, 1, Staff.Practitioner))!;

        Assert.Equal("Sleep- a-b.questionnaire.json", latest.FileName);
        Assert.Equal("Second", new FhirJsonDeserializer().Deserialize<Questionnaire>(latest.Json).Description);
        Assert.Equal("One of each", new FhirJsonDeserializer().Deserialize<Questionnaire>(first.Json).Description);
        Assert.Null(await Forms.ExportAsync(created.Id, 3, Staff.Admin));
        Assert.Null(await Forms.ExportAsync(999_999, null, Staff.Admin));
        Assert.Equal([2, 1], (await Forms.ListVersionsAsync(created.Id)).Select(v => v.Number));
        Assert.EndsWith("version 1, as a FHIR Questionnaire", (await IntakeAuditAsync())[^1]);
        Assert.Equal(3, (await IntakeAuditAsync()).Count(a => a.StartsWith(AuditActions.IntakeFormExport)));
    }

    [Theory]
    [InlineData("Health history", "Health history.questionnaire.json")]
    [InlineData("  ../..\\secret<1>?  ", "-..-secret-1--.questionnaire.json")]
    [InlineData("", "form.questionnaire.json")]
    public void A_file_name_is_the_title_with_the_characters_file_systems_refuse_replaced(string title, string expected) =>
        Assert.Equal(expected, FormExport.FileNameFor(title));
}
