using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.AppointmentTypes;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Rules;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.IntakeForms.Rules;

[Trait("Providers", "Both")]
public sealed class FormRuleServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private FormRuleService Rules => _host.Scoped<FormRuleService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<(int FormId, int TypeId)> HistoryAndAssessmentAsync()
    {
        Assert.True((await _host.Scoped<AppointmentTypeService>().SaveAsync(new AppointmentTypeForm { Name = "New patient assessment", DefaultLengthMinutes = 60 }, Staff.Admin)).Saved);
        await using var db = await _host.DbAsync();
        return (await db.IntakeForms.Where(f => f.StarterKey == StarterForms.HealthHistoryKey).Select(f => f.Id).SingleAsync(),
            await db.AppointmentTypes.Where(t => t.Name == "New patient assessment").Select(t => t.Id).SingleAsync());
    }

    [Fact]
    public async Task An_admin_adds_the_issue_s_rule_and_it_reads_as_a_sentence_in_the_list_and_the_audit_log()
    {
        var (formId, typeId) = await HistoryAndAssessmentAsync();

        var saved = await Rules.SaveAsync(new FormRuleForm { IntakeFormId = formId, AppointmentTypeId = typeId, DaysBefore = 3, SkipIfCompletedWithinMonths = 12 }, Staff.Admin);

        const string sentence = "Send General health history 3 days before a New patient assessment, unless it was completed in the last 12 months.";
        Assert.Equal((true, $"Saved: {sentence}"), (saved.Saved, saved.Message));
        Assert.Equal(sentence, Assert.Single(await Rules.ListAsync()).Sentence);
        await using var db = await _host.DbAsync();
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.IntakeFormRuleSave);
        Assert.Equal($"Added: {sentence} On.", audit.Details);
    }

    [Theory]
    [InlineData(0, 0, "Send General health history on the day of an Initial visit.")]
    [InlineData(1, 1, "Send General health history 1 day before an Initial visit, unless it was completed in the last month.")]
    public void The_sentence_says_the_day_and_the_article_right(int days, int months, string expected) =>
        Assert.Equal(expected, FormRuleText.Sentence("General health history", "Initial visit", days, months));

    [Fact]
    public async Task Front_desk_and_practitioners_are_refused_on_the_server()
    {
        var (formId, typeId) = await HistoryAndAssessmentAsync();
        var form = new FormRuleForm { IntakeFormId = formId, AppointmentTypeId = typeId };

        Assert.Equal(FormRuleService.AdminsOnly, (await Rules.SaveAsync(form, Staff.FrontDesk)).Message);
        Assert.Equal(FormRuleService.AdminsOnly, (await Rules.SaveAsync(form, Staff.Practitioner)).Message);
        Assert.Empty(await Rules.ListAsync());
    }

    [Theory]
    [InlineData(-1, 12, "DaysBefore", "Send it 0 to 60 days before the appointment.")]
    [InlineData(61, 12, "DaysBefore", "Send it 0 to 60 days before the appointment.")]
    [InlineData(3, 61, "SkipIfCompletedWithinMonths", "Skip it for 0 to 60 months after the patient completed it (0: always send).")]
    public async Task Days_and_months_are_bounded_with_the_field_named(int days, int months, string field, string message)
    {
        var (formId, typeId) = await HistoryAndAssessmentAsync();

        var refused = await Rules.SaveAsync(new FormRuleForm { IntakeFormId = formId, AppointmentTypeId = typeId, DaysBefore = days, SkipIfCompletedWithinMonths = months }, Staff.Admin);

        Assert.Equal((false, message, field), (refused.Saved, refused.Message, refused.Field));
    }

    [Fact]
    public async Task An_unpublished_or_archived_form_and_a_second_active_rule_for_the_same_pair_are_refused()
    {
        var (formId, typeId) = await HistoryAndAssessmentAsync();
        var forms = _host.Scoped<IntakeFormService>();
        var draft = Assert.IsType<FormDraftResult.Saved>(await forms.CreateAsync("Never published", Staff.Admin));

        Assert.Equal("Never published has no published version yet. Publish it on the Forms page first.",
            (await Rules.SaveAsync(new FormRuleForm { IntakeFormId = draft.Id, AppointmentTypeId = typeId }, Staff.Admin)).Message);

        Assert.True((await Rules.SaveAsync(new FormRuleForm { IntakeFormId = formId, AppointmentTypeId = typeId }, Staff.Admin)).Saved);
        Assert.Equal("A rule already sends General health history before a New patient assessment. Edit that one instead.",
            (await Rules.SaveAsync(new FormRuleForm { IntakeFormId = formId, AppointmentTypeId = typeId, DaysBefore = 7 }, Staff.Admin)).Message);
        Assert.True((await Rules.SaveAsync(new FormRuleForm { IntakeFormId = formId, AppointmentTypeId = typeId, DaysBefore = 7, IsActive = false }, Staff.Admin)).Saved);

        Assert.IsType<Outcome.Done>(await forms.ArchiveAsync(formId, Staff.Admin));
        Assert.Equal("That form is archived or no longer exists. Choose another.",
            (await Rules.SaveAsync(new FormRuleForm { IntakeFormId = formId, AppointmentTypeId = typeId, IsActive = false }, Staff.Admin)).Message);
    }

    [Fact]
    public async Task Two_admins_editing_one_rule_the_second_save_is_refused_and_the_first_kept()
    {
        var (formId, typeId) = await HistoryAndAssessmentAsync();
        Assert.True((await Rules.SaveAsync(new FormRuleForm { IntakeFormId = formId, AppointmentTypeId = typeId }, Staff.Admin)).Saved);
        var opened = (await Rules.ListAsync()).Single().ToForm();
        var first = opened.ToCopy();
        first.DaysBefore = 5;
        var second = opened.ToCopy();
        second.DaysBefore = 9;

        Assert.True((await Rules.SaveAsync(first, Staff.Admin)).Saved);
        Assert.Equal((false, FormRuleService.Conflict), ((await Rules.SaveAsync(second, Staff.Admin)) is var r ? (r.Saved, r.Message) : default));

        Assert.Equal(5, (await Rules.ListAsync()).Single().DaysBefore);
    }
}
