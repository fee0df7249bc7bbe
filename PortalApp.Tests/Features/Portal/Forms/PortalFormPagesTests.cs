using System.Net;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Tests.Features.IntakeForms;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Portal.Forms;

/// <summary>The patient's form pages as a browser without script uses them: plain posts, every question shown.</summary>
public sealed class PortalFormPagesTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    private static Task<string> TextAsync(HttpResponseMessage response) => PortalForms.TextAsync(response);

    private async Task<(HttpClient Browser, int ClientId)> SignedInPatientAsync()
    {
        var (clientId, email) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var browser = StaffClient.Anonymous(app.Factory);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalForms.PatientSignInAsync(browser, email, PortalForms.PatientPassword)).StatusCode);
        return (browser, clientId);
    }

    private async Task<FormAssignment> SendAsync(int clientId, FormDefinition definition, bool withAppointment = false)
    {
        await using var db = await app.Factory.DbAsync();
        var version = await FormSeeds.PublishAsync(db, definition, DateTime.UtcNow);
        int? appointmentId = null;
        if (withAppointment)
        {
            var appointment = db.Appointments.Add(new Appointment
            {
                ClientId = clientId, Practitioner = await db.Practitioners.FirstAsync(p => p.DisplayName == "Dr. Liam Chen"),
                AppointmentType = await db.AppointmentTypes.FirstAsync(), StartUtc = new DateTime(2030, 3, 12, 14, 0, 0, DateTimeKind.Utc),
                EndUtc = new DateTime(2030, 3, 12, 14, 30, 0, DateTimeKind.Utc), Location = "Room 2", Status = AppointmentStatus.Booked,
            }).Entity;
            await db.SaveChangesAsync();
            appointmentId = appointment.Id;
        }
        return await FormSeeds.AssignAsync(db, clientId, version, DateTime.UtcNow, appointmentId);
    }

    private static Task<HttpResponseMessage> PostSectionAsync(HttpClient browser, int id, int section, string go, Dictionary<string, string> fields)
    {
        fields["section"] = section.ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields["go"] = go;
        return PortalForms.PostAsync(browser, $"/portal/forms/{id}?section={section}", "form-section", fields);
    }

    [Fact]
    public async Task The_home_page_and_the_forms_page_list_a_form_to_do_with_the_appointment_it_is_due_before()
    {
        var (browser, clientId) = await SignedInPatientAsync();
        var sent = await SendAsync(clientId, PortalFormsTesting.TwoSections, withAppointment: true);

        var home = await TextAsync(await browser.GetAsync("/portal"));
        var list = await TextAsync(await browser.GetAsync("/portal/forms"));

        foreach (var page in new[] { home, list })
        {
            Assert.Contains($"href=\"/portal/forms/{sent.Id}\"><strong>Check-in</strong>", page);
            Assert.Contains("Due before your appointment on Tue 12 Mar 2030, 10:00 AM", page);
        }
        Assert.Contains("<h3 class=\"portal-forms-heading\">To do</h3>", list);
        Assert.Contains("href=\"/portal/forms\">Intake forms</a>", home);
    }

    [Fact]
    public async Task Without_script_a_patient_fills_each_section_reviews_and_submits_and_hidden_answers_are_ignored()
    {
        var (browser, clientId) = await SignedInPatientAsync();
        var sent = await SendAsync(clientId, TestForms.EveryType);

        var first = await TextAsync(await browser.GetAsync($"/portal/forms/{sent.Id}"));
        var next = await PostSectionAsync(browser, sent.Id, 1, "next", new() { ["a.name"] = "Nora Quinn", ["a.age"] = "40", ["a.smoker"] = "false" });
        var second = await TextAsync(await browser.GetAsync($"/portal/forms/{sent.Id}?section=2"));
        // Without script the hidden questions show and may be answered: the server drops those answers.
        var review = await PostSectionAsync(browser, sent.Id, 2, "review", new()
        {
            ["a.per-day"] = "20", ["a.consent.agree"] = "true", ["a.consent.name"] = "Nora Quinn",
        });
        var reviewPage = await TextAsync(await browser.GetAsync($"/portal/forms/{sent.Id}?step=review"));
        var submit = await PortalForms.PostAsync(browser, $"/portal/forms/{sent.Id}?step=review", "form-submit", []);
        var done = await TextAsync(await browser.GetAsync(submit.Headers.Location!.OriginalString));

        Assert.Contains("aria-valuetext=\"Section 1 of 2\"", first);
        Assert.Contains("id=\"f-per-day\"", second); // shown: no script to hide it
        Assert.Equal($"/portal/forms/{sent.Id}?section=2", next.Headers.Location!.PathAndQuery);
        Assert.Equal($"/portal/forms/{sent.Id}?step=review", review.Headers.Location!.PathAndQuery);
        Assert.Contains("Agreed. Signed \"Nora Quinn\"", reviewPage);
        Assert.Contains("Thank you. Your form is sent.", done);
        Assert.Contains("You sent this form on", done);
        await using var db = await app.Factory.DbAsync();
        var response = await db.FormResponses.SingleAsync(r => r.FormAssignmentId == sent.Id);
        var answers = ((JsonRead<FormAnswers>.Read)FormAnswers.FromJson(response.AnswersJson)).Value;
        Assert.Null(answers["per-day"]);
        Assert.Equal(["40"], answers["age"]!.Values);
        Assert.NotNull(response.PdfBytes);
    }

    [Fact]
    public async Task A_bad_answer_comes_back_beside_its_question_with_what_was_typed_and_a_summary_link()
    {
        var (browser, clientId) = await SignedInPatientAsync();
        var sent = await SendAsync(clientId, PortalFormsTesting.TwoSections);

        var response = await PostSectionAsync(browser, sent.Id, 1, "next", new() { ["a.name"] = "", ["a.age"] = "forty" });
        var html = await TextAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<p id=\"f-age-error\" class=\"field-error form-error\">Enter a whole number, like 42.</p>", html);
        Assert.Contains("value=\"forty\"", html);
        Assert.Contains("<a href=\"#f-name\">Your name: Answer this question.</a>", html);
        Assert.Contains("aria-describedby=\"f-age-error\"", html);
    }

    [Fact]
    public async Task Another_patients_form_is_not_found_on_every_address()
    {
        var (browser, _) = await SignedInPatientAsync();
        var (otherId, _) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var theirs = await SendAsync(otherId, PortalFormsTesting.TwoSections);

        var open = await browser.GetAsync($"/portal/forms/{theirs.Id}");
        var list = await TextAsync(await browser.GetAsync("/portal/forms"));

        Assert.Equal(HttpStatusCode.NotFound, open.StatusCode);
        Assert.DoesNotContain($"/portal/forms/{theirs.Id}", list);
        await using var db = await app.Factory.DbAsync();
        Assert.Null((await db.FormAssignments.SingleAsync(a => a.Id == theirs.Id)).DraftAnswersJson);
    }

    [Fact]
    public async Task An_appointments_only_caregiver_gets_404_for_the_forms_pages()
    {
        var (noraId, _) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var sent = await SendAsync(noraId, PortalFormsTesting.TwoSections);
        var template = await CaregiverInvites.DefaultTemplateAsync(app.Factory.Services);
        var form = CaregiverInvites.Form(template, "Ruth", "Quinn", $"ruth.{Guid.NewGuid():N}@example.com", CaregiverRelationship.Child, CaregiverAccessLevel.AppointmentsOnly);
        var (ruth, _) = await CaregiverInvites.RegisteredAsync(app.Factory, noraId, "1979-05-14", form);

        Assert.Equal(HttpStatusCode.NotFound, (await ruth.GetAsync("/portal/forms")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ruth.GetAsync($"/portal/forms/{sent.Id}")).StatusCode);
        Assert.DoesNotContain("/portal/forms", await TextAsync(await ruth.GetAsync("/portal")));
    }

    [Fact]
    public async Task A_long_section_beyond_the_apps_usual_256_KB_posts_and_saves()
    {
        var (browser, clientId) = await SignedInPatientAsync();
        var questions = Enumerable.Range(1, 40).Select(i => TestForms.Item($"q{i}", FormItemType.Text, $"Question {i}")).ToList();
        var sent = await SendAsync(clientId, new FormDefinition("Long answers", null, questions));
        var fields = questions.ToDictionary(q => $"a.{q.LinkId}", _ => new string('x', 9_000));

        var response = await PostSectionAsync(browser, sent.Id, 1, "save", fields);

        Assert.Equal((HttpStatusCode.Redirect, "/portal/forms"), (response.StatusCode, response.Headers.Location!.PathAndQuery));
        await using var db = await app.Factory.DbAsync();
        Assert.Equal(FormAssignmentStatus.Draft, (await db.FormAssignments.SingleAsync(a => a.Id == sent.Id)).Status);
    }
}
