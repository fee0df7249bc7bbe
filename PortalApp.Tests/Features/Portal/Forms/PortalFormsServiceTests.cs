using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PdfSharp.Pdf.IO;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.Portal;
using PortalApp.Features.Portal.Forms;
using PortalApp.Tests.Features.IntakeForms;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.Portal.Forms.PortalFormsTesting;

namespace PortalApp.Tests.Features.Portal.Forms;

[Trait("Providers", "Both")]
public sealed class PortalFormsServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private PortalFormsService Forms => _host.Scoped<PortalFormsService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<FormAssignment> AssignmentAsync(int id)
    {
        await using var db = await _host.DbAsync();
        return await db.FormAssignments.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    private async Task<FormAnswers> DraftAsync(int id) =>
        ((JsonRead<FormAnswers>.Read)FormAnswers.FromJson((await AssignmentAsync(id)).DraftAnswersJson)).Value;

    [Fact]
    public async Task A_draft_keeps_what_reads_and_names_what_does_not_beside_its_question()
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, TwoSections);

        var saved = await Forms.SaveDraftAsync(SelfSession(client), sent.Id, 1, Posted(("name", ["Emma Smith"]), ("age", ["forty"])), checkRequired: false, audited: true);

        var result = Assert.IsType<FormSaveResult.Saved>(saved);
        Assert.Equal("Enter a whole number, like 42.", Assert.Single(result.Problems, p => p.Key == "age").Value);
        var assignment = await AssignmentAsync(sent.Id);
        Assert.Equal((FormAssignmentStatus.Draft, "Emma Smith"), (assignment.Status, assignment.DraftSavedByName));
        var draft = await DraftAsync(sent.Id);
        Assert.Equal(["Emma Smith"], draft["name"]!.Values);
        Assert.True(draft["age"]!.IsEmpty);
    }

    [Fact]
    public async Task Moving_on_needs_the_sections_required_answers_and_a_plain_save_does_not()
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, TwoSections);

        var save = Assert.IsType<FormSaveResult.Saved>(await Forms.SaveDraftAsync(SelfSession(client), sent.Id, 1, Posted(("name", [""]), ("age", ["40"])), false, false));
        var next = Assert.IsType<FormSaveResult.Saved>(await Forms.SaveDraftAsync(SelfSession(client), sent.Id, 1, Posted(("name", [""]), ("age", ["40"])), true, true));

        Assert.Empty(save.Problems);
        Assert.Equal("Answer this question.", Assert.Single(next.Problems, p => p.Key == "name").Value);
        Assert.DoesNotContain("sleep", next.Problems.Keys); // another section's question is not this screen's problem
    }

    [Fact]
    public async Task Submitting_writes_one_response_with_its_score_and_pdf_and_stops_the_reminders()
    {
        var client = await _host.AddClientAsync();
        var (version, sent) = await SendAsync(_host, client.Id, TwoSections, nextReminderAtUtc: ServiceTestHost.Start.UtcDateTime.AddDays(1));
        var session = SelfSession(client);
        await Forms.SaveDraftAsync(session, sent.Id, 1, Posted(("name", ["Emma Smith"]), ("age", ["40"])), true, true);
        await Forms.SaveDraftAsync(session, sent.Id, 2, Posted(("sleep", ["2"])), true, true);

        var submitted = Assert.IsType<FormSubmitResult.Submitted>(await Forms.SubmitAsync(session, sent.Id));

        await using var db = await _host.DbAsync();
        var response = await db.FormResponses.SingleAsync(r => r.FormAssignmentId == sent.Id);
        var assignment = await db.FormAssignments.SingleAsync(a => a.Id == sent.Id);
        Assert.Equal((FormAssignmentStatus.Submitted, (int?)response.Id, (DateTime?)null), (assignment.Status, assignment.FormResponseId, assignment.NextReminderAtUtc));
        Assert.Equal((version.Id, 2m, "Emma Smith", (string?)null), (response.IntakeFormVersionId, response.Score, response.FilledByName, response.FilledForClientName));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(response.PdfBytes!)), response.PdfSha256);
        Assert.Equal(submitted.PdfSha256, response.PdfSha256);
        using var pdf = PdfReader.Open(new MemoryStream(response.PdfBytes!), PdfDocumentOpenMode.Import);
        Assert.Equal((1, "Check-in: Emma Smith"), (pdf.PageCount, pdf.Info.Title));
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.IntakeFormSubmit && e.ClientId == client.Id);
        Assert.Contains($"PDF SHA-256 {response.PdfSha256}", audit.Details);
    }

    [Fact]
    public async Task A_hidden_required_question_is_not_needed_and_answers_to_hidden_and_staff_only_questions_are_dropped()
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, TestForms.EveryType);
        var session = SelfSession(client);
        // As a page without script posts it: every question shows, so the hidden ones may carry answers.
        await Forms.SaveDraftAsync(session, sent.Id, 1, Posted(("name", ["Emma"]), ("age", ["40"]), ("smoker", ["false"])), true, true);
        var second = await Forms.SaveDraftAsync(session, sent.Id, 2, Posted(("per-day", ["12"]), ("falls", ["true"]), ("staff-note", ["I am fine"])), true, true);

        Assert.Empty(Assert.IsType<FormSaveResult.Saved>(second).Problems); // per-day and falls are required, but hidden
        Assert.IsType<FormSubmitResult.Submitted>(await Forms.SubmitAsync(session, sent.Id));
        await using var db = await _host.DbAsync();
        var answers = ((JsonRead<FormAnswers>.Read)FormAnswers.FromJson(await db.FormResponses.Where(r => r.FormAssignmentId == sent.Id).Select(r => r.AnswersJson).SingleAsync())).Value;
        Assert.Equal(["age", "name", "smoker"], answers.ByLinkId.Where(a => !a.Value.IsEmpty).Select(a => a.Key).Order());
    }

    [Fact]
    public async Task Submitting_with_a_required_answer_missing_names_it_and_writes_nothing()
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, TwoSections);
        await Forms.SaveDraftAsync(SelfSession(client), sent.Id, 1, Posted(("name", ["Emma Smith"])), true, true);

        var result = Assert.IsType<FormSubmitResult.Incomplete>(await Forms.SubmitAsync(SelfSession(client), sent.Id));

        Assert.Equal(["sleep"], result.Problems.Keys);
        await using var db = await _host.DbAsync();
        Assert.False(await db.FormResponses.AnyAsync(r => r.FormAssignmentId == sent.Id));
        Assert.Equal(FormAssignmentStatus.Draft, (await AssignmentAsync(sent.Id)).Status);
    }

    [Fact]
    public async Task The_previous_response_fills_the_form_by_link_id_and_the_drafts_own_answers_and_clearings_win()
    {
        var client = await _host.AddClientAsync();
        FormAssignment sent;
        await using (var db = await _host.DbAsync())
        {
            var v1 = await FormSeeds.PublishAsync(db, TwoSections, ServiceTestHost.Start.UtcDateTime.AddDays(-400));
            await FormSeeds.RespondAsync(db, client.Id, v1, TestForms.Answers(("name", FormAnswer.Of("Emma Smith")), ("age", FormAnswer.Of("39")), ("sleep", FormAnswer.Of("1"))),
                new DateTime(2025, 3, 7, 20, 5, 0, DateTimeKind.Utc));
            // Version 2 drops "age" and asks something new: answers follow their link ids, not their positions.
            var v2 = await FormSeeds.PublishAsync(db, TwoSections with
            {
                Items = [TwoSections.Items[0] with { Items = [TestForms.Item("name", FormItemType.String, "Full name"), TestForms.Item("city", FormItemType.String)] }, TwoSections.Items[1]],
            }, ServiceTestHost.Start.UtcDateTime, v1.IntakeFormId);
            sent = await FormSeeds.AssignAsync(db, client.Id, v2, ServiceTestHost.Start.UtcDateTime);
        }
        var session = SelfSession(client);

        var before = Assert.IsType<PortalFormOpen.Opened>(await Forms.OpenAsync(session, sent.Id)).Form;
        await Forms.SaveDraftAsync(session, sent.Id, 2, Posted(("sleep", ["2"])), false, false);
        await Forms.SaveDraftAsync(session, sent.Id, 1, Posted(("name", [""]), ("city", ["Toronto"])), false, false);
        var after = Assert.IsType<PortalFormOpen.Opened>(await Forms.OpenAsync(session, sent.Id)).Form;

        Assert.Equal(["Emma Smith"], before.Answers["name"]!.Values);
        Assert.Equal(["1"], before.Answers["sleep"]!.Values);
        Assert.Null(before.Answers["age"]);
        Assert.Equal("From your answer of 7 Mar 2025", before.PrefillNotes["name"]);
        Assert.Equal(["2"], after.Answers["sleep"]!.Values);
        Assert.True(after.Answers["name"]!.IsEmpty); // cleared by the patient: not filled again
        Assert.Empty(after.PrefillNotes);
    }

    [Fact]
    public async Task A_consent_keeps_the_time_it_was_signed_through_later_saves_and_the_submission()
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, TestForms.EveryType);
        var session = SelfSession(client);
        var signedAt = _host.Time.GetUtcNow().UtcDateTime;
        await Forms.SaveDraftAsync(session, sent.Id, 2, new Dictionary<string, FormAnswer>
        {
            ["consent"] = new([], Consent: new ConsentSignature(true, "Emma Smith", DateTime.UnixEpoch)), // the page's time is never taken
        }, false, true);
        _host.Time.Advance(TimeSpan.FromHours(2));
        await Forms.SaveDraftAsync(session, sent.Id, 1, Posted(("name", ["Emma Smith"])), true, true);
        _host.Time.Advance(TimeSpan.FromHours(1));

        Assert.IsType<FormSubmitResult.Submitted>(await Forms.SubmitAsync(session, sent.Id));

        await using var db = await _host.DbAsync();
        var answers = ((JsonRead<FormAnswers>.Read)FormAnswers.FromJson(await db.FormResponses.Where(r => r.FormAssignmentId == sent.Id).Select(r => r.AnswersJson).SingleAsync())).Value;
        Assert.Equal(("Emma Smith", signedAt), (answers["consent"]!.Consent!.FullName, answers["consent"]!.Consent!.SignedAtUtc));
    }

    [Fact]
    public async Task Ten_submits_at_once_from_several_tabs_make_one_response()
    {
        const int Racers = 10;
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, TwoSections);
        await Forms.SaveDraftAsync(SelfSession(client), sent.Id, 1, Posted(("name", ["Emma Smith"])), true, true);
        await Forms.SaveDraftAsync(SelfSession(client), sent.Id, 2, Posted(("sleep", ["0"])), true, true);
        using var barrier = new Barrier(Racers);
        async Task<FormSubmitResult> SubmitAsync()
        {
            var forms = _host.Scoped<PortalFormsService>();
            await Task.Yield();
            barrier.SignalAndWait(TimeSpan.FromSeconds(30));
            return await forms.SubmitAsync(SelfSession(client), sent.Id);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Run(SubmitAsync)));

        Assert.Single(results.OfType<FormSubmitResult.Submitted>());
        Assert.All(results.OfType<FormSubmitResult.Refused>(), r => Assert.StartsWith("You sent this form on", r.Reason));
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.FormResponses.CountAsync(r => r.FormAssignmentId == sent.Id));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.IntakeFormSubmit && e.ClientId == client.Id));
    }

    [Fact]
    public async Task An_end_dated_patient_can_neither_open_nor_save_nor_submit_and_each_refusal_is_audited()
    {
        var client = await _host.AddClientAsync();
        var (_, sent) = await SendAsync(_host, client.Id, TwoSections);
        var session = SelfSession(client); // made while the card was open, as a page already loaded was
        await Forms.SaveDraftAsync(session, sent.Id, 1, Posted(("name", ["Emma Smith"])), true, true);
        await Forms.SaveDraftAsync(session, sent.Id, 2, Posted(("sleep", ["0"])), true, true);
        await using (var db = await _host.DbAsync())
        {
            await db.Clients.Where(c => c.Id == client.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, DateOnly.FromDateTime(ServiceTestHost.Start.UtcDateTime)));
        }

        var open = await Forms.OpenAsync(session, sent.Id);
        var save = await Forms.SaveDraftAsync(session, sent.Id, 1, Posted(("name", ["Someone else"])), false, false);
        var submit = await Forms.SubmitAsync(session, sent.Id);

        Assert.Equal(PortalFormsService.EndedMessage, Assert.IsType<PortalFormOpen.Refused>(open).Reason);
        Assert.Equal(PortalFormsService.EndedMessage, Assert.IsType<FormSaveResult.Refused>(save).Reason);
        Assert.Equal(PortalFormsService.EndedMessage, Assert.IsType<FormSubmitResult.Refused>(submit).Reason);
        await using var check = await _host.DbAsync();
        Assert.False(await check.FormResponses.AnyAsync(r => r.ClientId == client.Id));
        Assert.Equal(["Emma Smith"], (await DraftAsync(sent.Id))["name"]!.Values);
        Assert.Equal(3, await check.AuditEvents.CountAsync(e => e.Action == AuditActions.IntakeFormFillRefused && e.ClientId == client.Id && e.Outcome == AuditOutcome.Refused));
    }

    [Fact]
    public async Task A_full_access_caregivers_response_records_who_filled_it_in_for_whom()
    {
        var lily = await _host.AddClientAsync("Lily", "Rivera", new DateOnly(2015, 6, 1), email: null);
        var (_, sent) = await SendAsync(_host, lily.Id, TwoSections);
        var maya = await CaregiverSessionAsync(_host, lily.Id, CaregiverAccessLevel.Full);
        await Forms.SaveDraftAsync(maya, sent.Id, 1, Posted(("name", ["Lily Rivera"])), true, true);
        await Forms.SaveDraftAsync(maya, sent.Id, 2, Posted(("sleep", ["0"])), true, true);

        Assert.IsType<FormSubmitResult.Submitted>(await Forms.SubmitAsync(maya, sent.Id));

        await using var db = await _host.DbAsync();
        var response = await db.FormResponses.SingleAsync(r => r.FormAssignmentId == sent.Id);
        Assert.Equal(("Maya Rivera", maya.Account.UserId, "Lily Rivera"), (response.FilledByName, response.FilledByUserId, response.FilledForClientName));
        Assert.Contains("filled in by caregiver Maya Rivera", (await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.IntakeFormSubmit && e.ClientId == lily.Id)).Details);
    }

    [Fact]
    public async Task An_appointments_only_caregiver_and_another_patient_find_no_form_at_all()
    {
        var lily = await _host.AddClientAsync("Lily", "Rivera", new DateOnly(2015, 6, 1), email: null);
        var other = await _host.AddClientAsync("Omar", "Haddad", email: "omar@example.com");
        var (_, sent) = await SendAsync(_host, lily.Id, TwoSections);
        var limited = await CaregiverSessionAsync(_host, lily.Id, CaregiverAccessLevel.AppointmentsOnly);

        foreach (var session in new[] { limited, SelfSession(other) })
        {
            Assert.Empty(await Forms.ListAsync(session));
            Assert.IsType<PortalFormOpen.NotFound>(await Forms.OpenAsync(session, sent.Id));
            Assert.IsType<FormSaveResult.NotFound>(await Forms.SaveDraftAsync(session, sent.Id, 1, Posted(("name", ["X"])), false, false));
            Assert.IsType<FormSubmitResult.NotFound>(await Forms.SubmitAsync(session, sent.Id));
        }
        Assert.Single(await Forms.ListAsync(SelfSession(lily)));
        Assert.Null((await AssignmentAsync(sent.Id)).DraftAnswersJson);
    }

    [Fact]
    public async Task A_sent_or_withdrawn_form_is_read_only_and_a_withdrawn_one_is_not_listed()
    {
        var client = await _host.AddClientAsync();
        var (_, done) = await SendAsync(_host, client.Id, TwoSections);
        var (_, withdrawn) = await SendAsync(_host, client.Id, TwoSections);
        await using (var db = await _host.DbAsync())
        {
            var version = await db.IntakeFormVersions.SingleAsync(v => v.Id == done.IntakeFormVersionId);
            await FormSeeds.RespondAsync(db, client.Id, version, TestForms.Answers(("name", FormAnswer.Of("Emma"))), ServiceTestHost.Start.UtcDateTime, done);
            await db.FormAssignments.Where(a => a.Id == withdrawn.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, FormAssignmentStatus.Withdrawn));
        }
        var session = SelfSession(client);

        var saveDone = Assert.IsType<FormSaveResult.Refused>(await Forms.SaveDraftAsync(session, done.Id, 1, Posted(("name", ["Changed"])), false, false));
        var saveWithdrawn = Assert.IsType<FormSaveResult.Refused>(await Forms.SaveDraftAsync(session, withdrawn.Id, 1, Posted(("name", ["Changed"])), false, false));

        Assert.Equal("You sent this form on Wed 4 Mar 2026, 10:00 AM. It can no longer be changed.", saveDone.Reason);
        Assert.Equal(PortalFormsService.WithdrawnMessage, saveWithdrawn.Reason);
        Assert.Equal([done.Id], (await Forms.ListAsync(session)).Select(f => f.AssignmentId));
        Assert.True(Assert.IsType<PortalFormOpen.Opened>(await Forms.OpenAsync(session, done.Id)).Form.IsReadOnly);
    }
}
