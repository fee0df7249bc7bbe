using System.Net;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.IntakeForms;

/// <summary>The export download and the pages' role check through the whole app, as the demo clinic's staff.</summary>
public sealed class FormExportEndpointTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private async Task<int> StarterIdAsync(string key)
    {
        await using var db = await app.Factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.IntakeForms.Where(f => f.StarterKey == key).Select(f => f.Id).SingleAsync();
    }

    [Theory]
    [InlineData("admin@demo.clinic")]
    [InlineData("practitioner@demo.clinic")]
    public async Task Admins_and_practitioners_download_a_questionnaire_the_fhir_parser_reads(string email)
    {
        var staff = await StaffClient.SignedInAsync(app.Factory, email);
        var id = await StarterIdAsync(StarterForms.Phq9Key);

        var response = await staff.GetAsync(FormExportEndpoint.PathFor(id, 1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("PHQ-9.questionnaire.json", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var questionnaire = new FhirJsonDeserializer().Deserialize<Questionnaire>(await response.Content.ReadAsStringAsync());
        Assert.Equal("PHQ-9", questionnaire.Title);
        Assert.Equal(FhirQuestionnaireMapper.ToQuestionnaireJson(StarterForms.Phq9), await (await staff.GetAsync(FormExportEndpoint.PathFor(id))).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_version_or_form_that_does_not_exist_is_404()
    {
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");
        var id = await StarterIdAsync(StarterForms.ConsentKey);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(FormExportEndpoint.PathFor(id, 99))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(FormExportEndpoint.PathFor(999_999))).StatusCode);
    }

    [Fact]
    public async Task Front_desk_staff_get_403_and_no_questionnaire()
    {
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        var response = await frontDesk.GetAsync(FormExportEndpoint.PathFor(await StarterIdAsync(StarterForms.Phq9Key)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("Questionnaire", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Someone_not_signed_in_is_sent_to_sign_in_and_gets_no_questionnaire()
    {
        var anonymous = StaffClient.Anonymous(app.Factory);

        var response = await anonymous.GetAsync(FormExportEndpoint.PathFor(await StarterIdAsync(StarterForms.Phq9Key)));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("/account/sign-in", StaffClient.Location(response));
        Assert.DoesNotContain("Questionnaire", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/admin/forms")]
    [InlineData("/admin/forms/1")]
    public async Task Front_desk_staff_opening_the_forms_pages_are_told_they_lack_the_role(string path)
    {
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        var response = await frontDesk.GetAsync(path);
        var html = await PortalForms.TextAsync(response.StatusCode == HttpStatusCode.Redirect ? await frontDesk.GetAsync(response.Headers.Location) : response);

        Assert.Contains("Your account does not have the role this page needs.", html);
        Assert.DoesNotContain("Import FHIR Questionnaire", html);
        Assert.DoesNotContain("Save draft", html);
    }

    [Fact]
    public async Task A_practitioner_opens_the_forms_page_with_the_starter_forms()
    {
        var practitioner = await StaffClient.SignedInAsync(app.Factory, "practitioner@demo.clinic");

        var html = await PortalForms.TextAsync(await practitioner.GetAsync("/admin/forms"));

        Assert.Contains("<title>Forms</title>", html);
        Assert.Contains("PHQ-9", html);
    }
}
