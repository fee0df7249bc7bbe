using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Features.AppointmentTypes;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Rules;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.IntakeForms.Rules;

public sealed class FormRulesPageTests : PortalBunitContext
{
    protected override async Task SeedAsync()
    {
        Assert.True((await Host.Scoped<AppointmentTypeService>().SaveAsync(new AppointmentTypeForm { Name = "New patient assessment" }, Staff.Admin)).Saved);
        await using var db = await Host.DbAsync();
        var formId = await db.IntakeForms.Where(f => f.StarterKey == StarterForms.HealthHistoryKey).Select(f => f.Id).SingleAsync();
        var typeId = await db.AppointmentTypes.Where(t => t.Name == "New patient assessment").Select(t => t.Id).SingleAsync();
        Assert.True((await Host.Scoped<FormRuleService>().SaveAsync(new FormRuleForm { IntakeFormId = formId, AppointmentTypeId = typeId }, Staff.Admin)).Saved);
    }

    [Fact]
    public void Each_rule_reads_as_a_sentence_and_an_empty_new_rule_names_what_is_missing()
    {
        SignInAs(Staff.Admin);
        var page = RenderWithProviders<FormRulesPage>();
        page.WaitForAssertion(() => Assert.Contains(
            "Send General health history 3 days before a New patient assessment, unless it was completed in the last 12 months.",
            page.Find("tbody").TextContent));

        page.FindAll("button").Single(b => b.TextContent.Trim() == "Add rule").Click();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[role=dialog]")));
        Assert.Contains("Form to send", page.Find("[role=dialog]").TextContent);
        page.FindAll("[role=dialog] button").Single(b => b.TextContent.Trim() == "Save").Click();

        page.WaitForAssertion(() => Assert.Equal("Choose the form to send.", page.Find("[role=dialog] [role=alert]").TextContent.Trim()));
    }
}
