using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Reviewing;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms.Reviewing;

[Trait("Providers", "Both")]
public sealed class FormReviewServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private Client _noah = null!;
    private IntakeFormVersion _everyType = null!;

    private FormReviewService Reviews => _host.Scoped<FormReviewService>();
    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync("Emma", "Smith");
        _noah = await _host.AddClientAsync("Noah", "Jones", email: "noah@example.com", phone: "(416) 555-0102");
        await using var db = await _host.DbAsync();
        _everyType = await FormSeeds.PublishAsync(db, EveryType, Now);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<FormResponse> RespondAsync(Client client, DateTime at, FormAnswers? answers = null, IntakeFormVersion? version = null, string filledBy = "Seeded patient")
    {
        await using var db = await _host.DbAsync();
        return await FormSeeds.RespondAsync(db, client.Id, version ?? _everyType, answers ?? Answers(("name", FormAnswer.Of("Ada"))), at, filledBy: filledBy);
    }

    [Fact]
    public async Task Forms_to_review_lists_unreviewed_responses_across_clients_oldest_first_a_page_at_a_time()
    {
        var newest = await RespondAsync(_emma, Now.AddDays(-1));
        var oldest = await RespondAsync(_noah, Now.AddDays(-9));
        var reviewed = await RespondAsync(_emma, Now.AddDays(-20));
        Assert.IsType<ReviewMarkResult.Marked>(await Reviews.MarkReviewedAsync(_emma.Id, reviewed.Id, Staff.Practitioner));
        for (var i = 0; i < FormReviewService.ReviewPageSize; i++)
            await RespondAsync(_noah, Now.AddDays(-8).AddMinutes(i));

        var first = await Reviews.ToReviewAsync(1);
        var second = await Reviews.ToReviewAsync(2);

        Assert.Equal((FormReviewService.ReviewPageSize + 2, 2), (first.Total, first.PageCount));
        Assert.Equal(FormReviewService.ReviewPageSize, first.Rows.Count);
        Assert.Equal((oldest.Id, "Noah Jones", "Every type"), (first.Rows[0].Id, first.Rows[0].ClientName, first.Rows[0].FormTitle));
        Assert.Equal(first.Rows.Select(r => r.SubmittedAtUtc).Order(), first.Rows.Select(r => r.SubmittedAtUtc));
        Assert.Equal(newest.Id, second.Rows[^1].Id);
        Assert.DoesNotContain(first.Rows.Concat(second.Rows), r => r.Id == reviewed.Id);
        Assert.Equal(2, (await Reviews.ToReviewAsync(99)).Page); // past the end: the last page
        Assert.Equal(5, await Reviews.CountToReviewAsync(cap: 4)); // the badge counts no further than its cap (+1 for "4+")
    }

    [Fact]
    public async Task Mark_reviewed_records_who_and_when_once_and_marking_again_changes_nothing()
    {
        var response = await RespondAsync(_emma, Now.AddDays(-1));

        var marked = Assert.IsType<ReviewMarkResult.Marked>(await Reviews.MarkReviewedAsync(_emma.Id, response.Id, Staff.Practitioner));
        _host.Time.Advance(TimeSpan.FromHours(1));
        var again = await Reviews.MarkReviewedAsync(_emma.Id, response.Id, Staff.Admin);

        Assert.Equal(new ReviewMarkResult.AlreadyReviewed(marked.ReviewedAtUtc, "Dr. Amara Okafor"), again);
        await using var db = await _host.DbAsync();
        var row = await db.FormResponses.AsNoTracking().SingleAsync(r => r.Id == response.Id);
        Assert.Equal((ServiceTestHost.Start.UtcDateTime, "Dr. Amara Okafor"), (row.ReviewedAtUtc, row.ReviewedByName));
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.FormResponseReview);
        Assert.Equal((_emma.Id, "staff-practitioner", $"Response {response.Id}"), (audit.ClientId, audit.StaffUserId, audit.Details));
    }

    [Fact]
    public async Task Front_desk_staff_may_read_responses_but_not_mark_them_reviewed()
    {
        var response = await RespondAsync(_emma, Now.AddDays(-1));

        Assert.NotNull(await Reviews.ViewAsync(_emma.Id, response.Id, Staff.FrontDesk));
        var refused = Assert.IsType<ReviewMarkResult.Refused>(await Reviews.MarkReviewedAsync(_emma.Id, response.Id, Staff.FrontDesk));

        Assert.Equal(FormReviewService.MayNotReview, refused.Reason);
        await using var db = await _host.DbAsync();
        Assert.Null((await db.FormResponses.AsNoTracking().SingleAsync(r => r.Id == response.Id)).ReviewedAtUtc);
    }

    [Fact]
    public async Task Ten_people_marking_at_once_leave_the_first_mark_and_tell_the_others_who_it_was()
    {
        // Ten at once, as the publish race does: two racers alone overlap too rarely to catch a missing condition.
        const int Racers = 10;
        var response = await RespondAsync(_emma, Now.AddDays(-1));
        using var barrier = new Barrier(Racers);
        async Task<ReviewMarkResult> MarkAsync(int i)
        {
            var reviews = _host.Scoped<FormReviewService>();
            await Task.Yield();
            barrier.SignalAndWait(TimeSpan.FromSeconds(30));
            return await reviews.MarkReviewedAsync(_emma.Id, response.Id, new StaffActor($"racer-{i}", $"Racer {i}", StaffRoles.Practitioner));
        }

        var results = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => Task.Run(() => MarkAsync(i))));

        var winner = Assert.Single(results.OfType<ReviewMarkResult.Marked>());
        var losers = results.OfType<ReviewMarkResult.AlreadyReviewed>().ToList();
        Assert.Equal(Racers - 1, losers.Count);
        Assert.All(losers, l => Assert.Equal(winner.ReviewedByName, l.ReviewedByName));
        await using var db = await _host.DbAsync();
        Assert.Equal(winner.ReviewedByName, (await db.FormResponses.AsNoTracking().SingleAsync(r => r.Id == response.Id)).ReviewedByName);
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.FormResponseReview));
    }

    [Fact]
    public async Task Another_clients_response_id_finds_nothing_whatever_is_asked()
    {
        var noahs = await RespondAsync(_noah, Now.AddDays(-2));
        var emmas = await RespondAsync(_emma, Now.AddDays(-1));
        await using (var db = await _host.DbAsync())
        {
            db.FormResponses.Attach(noahs);
            noahs.PdfBytes = [1, 2, 3];
            await db.SaveChangesAsync();
        }

        Assert.Null(await Reviews.ViewAsync(_emma.Id, noahs.Id, Staff.Admin));
        Assert.Null(await Reviews.PdfAsync(_emma.Id, noahs.Id, Staff.Admin));
        Assert.Null(await Reviews.FhirAsync(_emma.Id, noahs.Id, Staff.Admin));
        Assert.IsType<ReviewMarkResult.NotFound>(await Reviews.MarkReviewedAsync(_emma.Id, noahs.Id, Staff.Admin));
        Assert.IsType<CompareResult.NotFound>(await Reviews.CompareAsync(_emma.Id, noahs.Id, null, Staff.Admin));
        Assert.IsType<CompareResult.NotFound>(await Reviews.CompareAsync(_emma.Id, emmas.Id, noahs.Id, Staff.Admin));
        await using var check = await _host.DbAsync();
        Assert.Null((await check.FormResponses.AsNoTracking().SingleAsync(r => r.Id == noahs.Id)).ReviewedAtUtc);
        Assert.False(await check.AuditEvents.AnyAsync(a => a.Action.StartsWith("form-response.")));
    }

    [Fact]
    public async Task Compare_takes_the_response_just_before_by_default_and_puts_the_earlier_one_first()
    {
        var first = await RespondAsync(_emma, Now.AddDays(-30), Answers(("name", FormAnswer.Of("Ada")), ("age", FormAnswer.Of("40"))));
        var second = await RespondAsync(_emma, Now.AddDays(-10), Answers(("name", FormAnswer.Of("Ada")), ("age", FormAnswer.Of("41"))));
        var third = await RespondAsync(_emma, Now.AddDays(-1), Answers(("name", FormAnswer.Of("Ada L.")), ("age", FormAnswer.Of("41"))));

        var byDefault = Assert.IsType<CompareResult.Compared>(await Reviews.CompareAsync(_emma.Id, third.Id, null, Staff.FrontDesk));
        var chosen = Assert.IsType<CompareResult.Compared>(await Reviews.CompareAsync(_emma.Id, first.Id, third.Id, null));
        var none = Assert.IsType<CompareResult.Refused>(await Reviews.CompareAsync(_emma.Id, first.Id, null, Staff.FrontDesk));

        Assert.Equal((second.Id, third.Id), (byDefault.Earlier.Id, byDefault.Later.Id));
        Assert.Equal(["name"], byDefault.Comparison.Rows.Where(r => r.Changed).Select(r => r.LinkId));
        Assert.Equal((first.Id, third.Id, first.Id), (chosen.Earlier.Id, chosen.Later.Id, chosen.ThisResponseId));
        Assert.Equal(["name", "age"], chosen.Comparison.Rows.Where(r => r.Changed).Select(r => r.LinkId));
        Assert.StartsWith("This is the first response to this form", none.Reason);
        await using var db = await _host.DbAsync();
        // Recorded for the viewers named; the page's second render (no viewer) records nothing.
        Assert.Equal([$"Response {third.Id} compared with response {second.Id}"],
            await db.AuditEvents.Where(a => a.Action == AuditActions.FormResponseView).Select(a => a.Details).ToListAsync());
    }

    [Fact]
    public async Task Responses_to_different_forms_are_not_compared()
    {
        IntakeFormVersion phq;
        await using (var db = await _host.DbAsync())
            phq = await FormSeeds.PublishAsync(db, StarterForms.Phq9, Now);
        var everyType = await RespondAsync(_emma, Now.AddDays(-2));
        var mood = await RespondAsync(_emma, Now.AddDays(-1), Answers(("phq9.1", FormAnswer.Of("1"))), phq);

        var refused = Assert.IsType<CompareResult.Refused>(await Reviews.CompareAsync(_emma.Id, mood.Id, everyType.Id, Staff.FrontDesk));

        Assert.Equal("Only responses to the same form can be compared.", refused.Reason);
    }

    [Fact]
    public async Task The_client_card_lists_sent_forms_with_their_rule_and_appointment_and_responses_with_who_filled_them_in()
    {
        var appointment = await _host.AddAppointmentAsync(_emma.Id, Now.AddDays(3), type: "New patient assessment");
        FormAssignment bySomeone, byRule;
        IntakeFormVersion phq;
        await using (var db = await _host.DbAsync())
        {
            phq = await FormSeeds.PublishAsync(db, StarterForms.Phq9, Now);
            var form = await db.IntakeForms.SingleAsync(f => f.Id == _everyType.IntakeFormId);
            form.Title = "General health history";
            var rule = db.FormRules.Add(new FormRule
            {
                IntakeFormId = form.Id, AppointmentTypeId = appointment.AppointmentTypeId, DaysBefore = 3, IsActive = true, CreatedAtUtc = Now, CreatedByName = "Alex Admin",
            }).Entity;
            await db.SaveChangesAsync();
            bySomeone = await FormSeeds.AssignAsync(db, _emma.Id, phq, Now.AddDays(-2));
            byRule = await FormSeeds.AssignAsync(db, _emma.Id, _everyType, Now.AddDays(-1), appointment.Id, appointment.StartUtc);
            db.FormAssignments.Attach(byRule);
            byRule.FormRuleId = rule.Id;
            byRule.Status = FormAssignmentStatus.Draft;
            byRule.DraftSavedAtUtc = Now.AddHours(-2);
            await db.SaveChangesAsync();
            var phqAnswers = Answers([.. Enumerable.Range(1, 9).Select(i => ($"phq9.{i}", FormAnswer.Of(i <= 6 ? "2" : "0")))]);
            var response = await FormSeeds.RespondAsync(db, _emma.Id, phq, phqAnswers, Now.AddDays(-1), bySomeone, filledBy: "Jane Doe");
            db.FormResponses.Attach(response);
            response.FilledForClientName = "Emma Smith";
            await db.SaveChangesAsync();
        }

        var view = await Reviews.ClientFormsAsync(_emma.Id);
        var noahs = await Reviews.ClientFormsAsync(_noah.Id);

        Assert.Equal([byRule.Id, bySomeone.Id], view.Sent.Select(s => s.Id)); // newest first
        var sent = view.Sent[0];
        Assert.Equal("Sent by the rule: General health history 3 days before New patient assessment", sent.RuleText);
        Assert.Equal((FormAssignmentStatus.Draft, appointment.StartUtc, "New patient assessment"), (sent.Status, sent.AppointmentStartUtc, sent.AppointmentTypeName));
        Assert.Null(view.Sent[1].RuleText);
        Assert.Equal((FormAssignmentStatus.Submitted, "PHQ-9"), (view.Sent[1].Status, view.Sent[1].FormTitle));
        var phqResponse = Assert.Single(view.Responses);
        Assert.Equal("Filled in by Jane Doe (caregiver)", phqResponse.FilledByText);
        Assert.Equal(("12 (Moderate)", 1), (phqResponse.ScoreText, phqResponse.VersionNumber));
        Assert.Empty(noahs.Sent);
        Assert.Empty(noahs.Responses);
    }

    [Fact]
    public async Task A_response_reads_back_without_hidden_answers_and_each_look_is_audited_by_id_only()
    {
        var response = await RespondAsync(_emma, Now.AddDays(-1),
            Answers(("name", FormAnswer.Of("Ada")), ("smoker", FormAnswer.Of("false")), ("per-day", FormAnswer.Of("20"))));

        var view = (await Reviews.ViewAsync(_emma.Id, response.Id, Staff.FrontDesk, " (print view)"))!;
        var again = (await Reviews.GetAsync(_emma.Id, response.Id))!;

        Assert.Equal("Ada", view.Rows.Single(r => r.LinkId == "name").Answer);
        Assert.True(view.Rows.Single(r => r.LinkId == "per-day").Hidden);
        Assert.Null(view.Rows.Single(r => r.LinkId == "per-day").Answer);
        Assert.Equal(view.Rows, again.Rows);
        Assert.Null(view.PreviousResponseId);
        await using var db = await _host.DbAsync();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.FormResponseView);
        Assert.Equal((_emma.Id, $"Response {response.Id} (print view)"), (audit.ClientId, audit.Details));
    }

    [Fact]
    public async Task The_pdf_is_the_stored_bytes_with_a_safe_file_name_and_its_download_is_audited_with_its_hash()
    {
        var withPdf = await RespondAsync(_emma, new DateTime(2026, 3, 2, 15, 0, 0, DateTimeKind.Utc));
        var withoutPdf = await RespondAsync(_emma, Now.AddDays(-1));
        await using (var db = await _host.DbAsync())
        {
            db.FormResponses.Attach(withPdf);
            withPdf.PdfBytes = "%PDF-1.7 seeded"u8.ToArray();
            withPdf.PdfSha256 = "abc123";
            await db.SaveChangesAsync();
        }

        var pdf = (await Reviews.PdfAsync(_emma.Id, withPdf.Id, Staff.FrontDesk))!;

        Assert.Equal("%PDF-1.7 seeded"u8.ToArray(), pdf.Bytes);
        Assert.Equal(("application/pdf", $"every-type-2026-03-02-response-{withPdf.Id}.pdf"), (pdf.ContentType, pdf.FileName));
        Assert.Null(await Reviews.PdfAsync(_emma.Id, withoutPdf.Id, Staff.FrontDesk));
        await using var check = await _host.DbAsync();
        Assert.Equal($"Response {withPdf.Id} PDF, SHA-256 abc123", (await check.AuditEvents.SingleAsync(a => a.Action == AuditActions.FormResponseDownload)).Details);
    }

    [Theory]
    [InlineData("PHQ-9", "phq-9")]
    [InlineData("../../etc/passwd\r\nX: y", "etc-passwd-x-y")]
    [InlineData("Überweisung «Ärztin»", "berweisung-rztin")]
    [InlineData("***", "form")]
    public void File_names_keep_letters_digits_and_hyphens_only(string title, string slug) =>
        Assert.Equal($"{slug}-2026-03-07-response-5.pdf", FormReviewService.FileName(title, new DateTime(2026, 3, 7, 0, 0, 0, DateTimeKind.Utc), 5, "pdf"));
}
