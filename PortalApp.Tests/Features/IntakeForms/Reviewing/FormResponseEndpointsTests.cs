using System.Net;
using QuestionnaireResponse = Hl7.Fhir.Model.QuestionnaireResponse;
using FhirString = Hl7.Fhir.Model.FhirString;
using Hl7.Fhir.Serialization;
using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Reviewing;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms.Reviewing;

/// <summary>The PDF, FHIR and print addresses through the whole app: staff only, and only for the client named in the address.</summary>
public sealed class FormResponseEndpointsTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private static readonly byte[] Pdf = "%PDF-1.7\n% seeded for a test\n"u8.ToArray();

    /// <summary>A new client with one submitted response, its PDF stored when asked.</summary>
    private async Task<(Client Client, FormResponse Response)> ResponseAsync(bool withPdf = true, int? clientId = null)
    {
        var client = clientId is { } id ? await Find(id) : await PortalForms.AddNoraAsync(app.Factory);
        await using var db = await app.Factory.DbAsync();
        var version = await FormSeeds.PublishAsync(db, EveryType, DateTime.UtcNow.AddDays(-2));
        var response = await FormSeeds.RespondAsync(db, client.Id, version,
            Answers(("name", FormAnswer.Of("Nora <b>Quinn</b>")), ("smoker", FormAnswer.Of("false")), ("per-day", FormAnswer.Of("37"))), DateTime.UtcNow.AddDays(-1));
        if (withPdf)
        {
            db.FormResponses.Attach(response);
            response.PdfBytes = Pdf;
            response.PdfSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdf));
            await db.SaveChangesAsync();
        }
        return (client, response);

        async Task<Client> Find(int id)
        {
            await using var db = await app.Factory.DbAsync();
            return await db.Clients.AsNoTracking().SingleAsync(c => c.Id == id);
        }
    }

    [Fact]
    public async Task Staff_download_the_stored_pdf_byte_for_byte_with_a_safe_file_name_and_it_is_audited()
    {
        var (client, response) = await ResponseAsync();
        var staff = await StaffClient.SignedInAsync(app.Factory);

        var download = await staff.GetAsync(FormResponseEndpoints.PdfPath(client.Id, response.Id));

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal($"every-type-{response.SubmittedAtUtc:yyyy-MM-dd}-response-{response.Id}.pdf",
            download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        await using var db = await app.Factory.DbAsync();
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.FormResponseDownload && a.ClientId == client.Id));
    }

    [Fact]
    public async Task No_stored_pdf_and_another_clients_response_both_answer_404()
    {
        var (nora, withoutPdf) = await ResponseAsync(withPdf: false);
        var (other, othersResponse) = await ResponseAsync();
        var staff = await StaffClient.SignedInAsync(app.Factory);

        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync(FormResponseEndpoints.PdfPath(nora.Id, withoutPdf.Id))).StatusCode);
        foreach (var path in new[] { FormResponseEndpoints.PdfPath(nora.Id, othersResponse.Id), FormResponseEndpoints.FhirPath(nora.Id, othersResponse.Id) })
        {
            var response = await staff.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.NotEqual(Pdf, await response.Content.ReadAsByteArrayAsync());
        }
        var print = await staff.GetAsync($"/clients/{nora.Id}/forms/{othersResponse.Id}/print");
        Assert.Equal(HttpStatusCode.NotFound, print.StatusCode);
        Assert.DoesNotContain("Nora &lt;b&gt;Quinn", await print.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync(FormResponseEndpoints.PdfPath(other.Id, othersResponse.Id))).StatusCode);
    }

    [Fact]
    public async Task Anonymous_visitors_and_a_signed_in_patient_get_no_pdf_no_fhir_and_no_print_view()
    {
        var patient = StaffClient.Anonymous(app.Factory);
        var (patientId, _) = await PortalForms.RegisteredPatientAsync(app.Factory, patient); // registering signs the patient in
        var (client, response) = await ResponseAsync(clientId: patientId);
        var anonymous = StaffClient.Anonymous(app.Factory);

        foreach (var browser in new[] { anonymous, patient })
        {
            foreach (var path in new[] { FormResponseEndpoints.PdfPath(client.Id, response.Id), FormResponseEndpoints.FhirPath(client.Id, response.Id) })
            {
                var answer = await browser.GetAsync(path);
                Assert.NotEqual(HttpStatusCode.OK, answer.StatusCode);
                Assert.DoesNotContain("%PDF", await answer.Content.ReadAsStringAsync());
                Assert.DoesNotContain("Quinn", await answer.Content.ReadAsStringAsync());
            }
            var print = await browser.GetAsync($"/clients/{client.Id}/forms/{response.Id}/print");
            Assert.DoesNotContain("Nora &lt;b&gt;Quinn", await print.Content.ReadAsStringAsync());
            Assert.DoesNotContain("Every type:", await print.Content.ReadAsStringAsync());
        }
        var signIn = await anonymous.GetAsync(FormResponseEndpoints.PdfPath(client.Id, response.Id));
        Assert.Equal((HttpStatusCode.Redirect, true), (signIn.StatusCode, StaffClient.Location(signIn)!.StartsWith("/account/sign-in")));
        await using (var db = await app.Factory.DbAsync())
            Assert.False(await db.AuditEvents.AnyAsync(a => a.Action.StartsWith("form-response.") && a.ClientId == client.Id));
        Assert.Equal(HttpStatusCode.OK, (await patient.GetAsync("/portal")).StatusCode); // the patient's own session still works
    }

    [Fact]
    public async Task The_fhir_export_is_a_questionnaire_response_the_fhir_parser_reads()
    {
        var (client, response) = await ResponseAsync(withPdf: false);
        var staff = await StaffClient.SignedInAsync(app.Factory, "practitioner@demo.clinic");

        var export = await staff.GetAsync(FormResponseEndpoints.FhirPath(client.Id, response.Id));

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/fhir+json", export.Content.Headers.ContentType!.MediaType);
        var parsed = new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<QuestionnaireResponse>(await export.Content.ReadAsStringAsync());
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.Completed, parsed.Status);
        var name = parsed.Item.SelectMany(i => i.Item).Single(i => i.LinkId == "name");
        Assert.Equal("Nora <b>Quinn</b>", Assert.IsType<FhirString>(name.Answer.Single().Value).Value);
    }

    [Fact]
    public async Task The_print_view_is_a_plain_page_with_the_answers_escaped_and_no_staff_menu()
    {
        var (client, response) = await ResponseAsync();
        var staff = await StaffClient.SignedInAsync(app.Factory);

        var print = await staff.GetAsync($"/clients/{client.Id}/forms/{response.Id}/print");

        Assert.Equal(HttpStatusCode.OK, print.StatusCode);
        var html = await print.Content.ReadAsStringAsync();
        Assert.Contains("<main class=\"print-page\">", html);
        Assert.Contains("Nora &lt;b&gt;Quinn&lt;/b&gt;", html);
        Assert.DoesNotContain("Forms to review", html); // no staff menu
        Assert.DoesNotContain(">37<", html); // answered, but hidden by its rule
        Assert.Contains("Every type: Nora Quinn", html);
        await using var db = await app.Factory.DbAsync();
        Assert.Equal($"Response {response.Id} (print view)",
            (await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.FormResponseView && a.ClientId == client.Id)).Details);
    }
}
