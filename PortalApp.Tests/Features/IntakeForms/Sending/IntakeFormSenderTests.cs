using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Sending;
using PortalApp.Features.Messaging;
using PortalApp.Features.Portal;
using PortalApp.Features.Templates;
using PortalApp.Tests.Email;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.IntakeForms.Sending;

/// <summary>
/// Sending intake forms, on both providers, with the starter forms every clinic has. The clock starts on Wednesday
/// 4 March 2026, 10:00 in Toronto; clocks there go forward on Sunday 8 March.
/// </summary>
[Trait("Providers", "Both")]
public sealed class IntakeFormSenderTests : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;
    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private IntakeFormVersion _history = null!;
    private IntakeFormVersion _phq9 = null!;

    /// <summary>Monday 9 March 2026, 10:00 in Toronto (daylight time).</summary>
    private static readonly DateTime MondayTenAm = new(2026, 3, 9, 14, 0, 0, DateTimeKind.Utc);

    private IntakeFormSender Sender => _host.Scoped<IntakeFormSender>();
    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        _host = await ServiceTestHost.StartAsync(OutboxTestData.SmtpSettings(_smtp.Port));
        _emma = await _host.AddClientAsync();
        await using var db = await _host.DbAsync();
        db.Users.Add(new PortalUser { UserName = "emma.smith@example.com", Email = "emma.smith@example.com", ClientId = _emma.Id, DisplayName = "Emma Smith" });
        await db.SaveChangesAsync();
        _history = await StarterAsync(db, StarterForms.HealthHistoryKey);
        _phq9 = await StarterAsync(db, StarterForms.Phq9Key);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private static Task<IntakeFormVersion> StarterAsync(PortalDbContext db, string key) =>
        db.IntakeFormVersions.AsNoTracking().SingleAsync(v => db.IntakeForms.Any(f => f.Id == v.IntakeFormId && f.StarterKey == key));

    private SendIntakeFormRequest Request(int? appointmentId = null, int? clientId = null, params int[] formIds) =>
        new(clientId ?? _emma.Id, formIds.Length == 0 ? [_history.IntakeFormId, _phq9.IntakeFormId] : formIds, appointmentId);

    private async Task<IReadOnlyList<AuditEvent>> AuditAsync(string action)
    {
        await using var db = await _host.DbAsync();
        return await db.AuditEvents.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }

    private async Task AssertNothingSentAsync()
    {
        await using var db = await _host.DbAsync();
        Assert.Equal((0, 0, 0), (await db.FormAssignments.CountAsync(), await db.Conversations.CountAsync(), await db.OutboxEmails.CountAsync()));
        Assert.Empty(await AuditAsync(AuditActions.IntakeFormSend));
    }

    private async Task<string> RefusedAsync(SendIntakeFormRequest request)
    {
        var refused = Assert.IsType<IntakeFormSendResult.Refused>(await Sender.SendAsync(request, Staff.FrontDesk));
        return refused.Reason;
    }

    private async Task<IReadOnlyList<string>> InvalidAsync(SendIntakeFormRequest request) =>
        Assert.IsType<IntakeFormSendResult.Invalid>(await Sender.SendAsync(request, Staff.FrontDesk)).Problems;

    [Fact]
    public async Task Sending_two_forms_for_an_appointment_writes_one_message_two_assignments_a_notice_and_an_audit_row()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);

        var sent = Assert.IsType<IntakeFormSendResult.Sent>(await Sender.SendAsync(Request(monday.Id), Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        var assignments = await db.FormAssignments.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(sent.AssignmentIds, assignments.Select(a => a.Id));
        Assert.Equal([_history.Id, _phq9.Id], assignments.Select(a => a.IntakeFormVersionId));
        Assert.All(assignments, a =>
        {
            Assert.Equal((_emma.Id, FormAssignmentStatus.ToDo, monday.Id, (int?)null), (a.ClientId, a.Status, a.AppointmentId, a.FormRuleId));
            Assert.Equal((MondayTenAm, Now, "Fran Desk", sent.ConversationId), (a.DueAtUtc, a.SentAtUtc, a.SentByName, a.ConversationId));
            // Two days before at 10:00 clinic time is Saturday 7 March, still standard time: 15:00 UTC.
            Assert.Equal(new DateTime(2026, 3, 7, 15, 0, 0, DateTimeKind.Utc), a.NextReminderAtUtc);
        });
        var conversation = await db.Conversations.Include(c => c.Messages).AsNoTracking().SingleAsync();
        Assert.Equal((_emma.Id, "Forms to fill in for Test Clinic", "Fran Desk", true), (conversation.ClientId, conversation.Subject, conversation.CreatedByName, conversation.AllowReplies));
        var body = conversation.Messages.Single().Body;
        Assert.Contains($"Please fill in {_history.Title} and {_phq9.Title} in your patient portal before your appointment on Monday 9 March 2026 at 10:00 AM.", body);
        Assert.Contains("https://portal.clinic.example/portal/forms", body);
        Assert.Contains("Fran Desk", body);
        var audit = Assert.Single(await AuditAsync(AuditActions.IntakeFormSend));
        Assert.Equal((Staff.FrontDesk.UserId, _emma.Id, AuditOutcome.Succeeded), (audit.StaffUserId, audit.ClientId, audit.Outcome));
        Assert.Equal($"Forms {_history.IntakeFormId} (version 1), {_phq9.IntakeFormId} (version 1); appointment {monday.Id}; conversation {conversation.Id}", audit.Details);
    }

    [Fact]
    public async Task The_patient_gets_the_usual_notice_email_over_smtp_and_it_names_no_form()
    {
        Assert.IsType<IntakeFormSendResult.Sent>(await Sender.SendAsync(Request(), Staff.FrontDesk));

        await _host.DispatchAsync();

        var email = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        Assert.Equal(["emma.smith@example.com"], email.EnvelopeTo);
        Assert.Equal("You have a new message from Test Clinic", email.Message.Subject);
        Assert.Contains("https://portal.clinic.example/portal/sign-in", email.Message.TextBody);
        Assert.DoesNotContain(_phq9.Title, email.Message.TextBody + email.Message.HtmlBody);
        Assert.DoesNotContain(_history.Title, email.Message.TextBody + email.Message.HtmlBody);
    }

    [Fact]
    public async Task Without_an_appointment_the_forms_have_no_due_date_no_reminder_and_the_message_names_no_visit()
    {
        var sent = Assert.IsType<IntakeFormSendResult.Sent>(await Sender.SendAsync(Request(formIds: _phq9.IntakeFormId), Staff.Practitioner));

        await using var db = await _host.DbAsync();
        var assignment = await db.FormAssignments.AsNoTracking().SingleAsync();
        Assert.Equal((null, null, null), (assignment.AppointmentId, assignment.DueAtUtc, assignment.NextReminderAtUtc));
        var body = (await db.ConversationMessages.AsNoTracking().SingleAsync(m => m.ConversationId == sent.ConversationId)).Body;
        Assert.Contains($"Please fill in {_phq9.Title} in your patient portal. It takes", body);
    }

    [Fact]
    public async Task The_latest_published_version_is_the_one_sent()
    {
        await using (var db = await _host.DbAsync())
            await FormSeeds.PublishAsync(db, TestForms.EveryType with { Title = "Health history, revised" }, Now, _history.IntakeFormId);

        Assert.IsType<IntakeFormSendResult.Sent>(await Sender.SendAsync(Request(formIds: _history.IntakeFormId), Staff.FrontDesk));

        await using var check = await _host.DbAsync();
        var sentVersion = await check.IntakeFormVersions.AsNoTracking().SingleAsync(v => v.Id == check.FormAssignments.Single().IntakeFormVersionId);
        Assert.Equal((2, "Health history, revised"), (sentVersion.Number, sentVersion.Title));
    }

    [Fact]
    public async Task The_preview_is_exactly_the_message_sent_and_changes_nothing()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);

        var preview = Assert.IsType<IntakeFormPreviewResult.Ready>(await Sender.PreviewAsync(Request(monday.Id), Staff.FrontDesk));
        await AssertNothingSentAsync();
        Assert.Empty(await AuditAsync(AuditActions.IntakeFormSendRefused));

        var sent = Assert.IsType<IntakeFormSendResult.Sent>(await Sender.SendAsync(Request(monday.Id), Staff.FrontDesk));
        await using var db = await _host.DbAsync();
        var conversation = await db.Conversations.Include(c => c.Messages).AsNoTracking().SingleAsync(c => c.Id == sent.ConversationId);
        Assert.Equal((conversation.Subject, conversation.Messages.Single().Body), (preview.Subject, preview.Body));
        Assert.Equal([_history.Title, _phq9.Title], preview.FormTitles);
        Assert.Equal(MondayTenAm, preview.DueAtUtc);
    }

    [Fact]
    public async Task An_end_dated_client_is_refused_and_the_refusal_is_audited()
    {
        var ended = await _host.AddClientAsync("Olivia", "Roy", email: "olivia@example.com", endDate: new DateOnly(2026, 3, 1));

        Assert.Equal("Olivia Roy's card is end-dated, so they cannot be sent forms.", await RefusedAsync(Request(clientId: ended.Id)));

        await AssertNothingSentAsync();
        var refusal = Assert.Single(await AuditAsync(AuditActions.IntakeFormSendRefused));
        Assert.Equal((ended.Id, AuditOutcome.Refused, "Client end-dated", Staff.FrontDesk.UserId), (refusal.ClientId, refusal.Outcome, refusal.Details, refusal.StaffUserId));
    }

    [Fact]
    public async Task A_client_without_a_portal_account_is_refused_and_told_to_send_the_invite_first()
    {
        var liam = await _host.AddClientAsync("Liam", "Chen", email: "liam@example.com");

        Assert.Equal(IntakeFormSendMessages.NoPortalAccount("Liam Chen"), await RefusedAsync(Request(clientId: liam.Id)));
        Assert.Contains("Send the patient portal invite first.", IntakeFormSendMessages.NoPortalAccount("Liam Chen"));

        await AssertNothingSentAsync();
        Assert.Equal("No portal account", Assert.Single(await AuditAsync(AuditActions.IntakeFormSendRefused)).Details);
    }

    [Fact]
    public async Task Archived_and_never_published_forms_are_refused_by_name_and_nothing_is_sent()
    {
        int draftOnly;
        await using (var db = await _host.DbAsync())
        {
            await db.IntakeForms.Where(f => f.Id == _phq9.IntakeFormId).ExecuteUpdateAsync(s => s.SetProperty(f => f.ArchivedAtUtc, Now));
            var form = db.IntakeForms.Add(new IntakeForm { Title = "Sleep diary", DraftJson = "{}", CreatedAtUtc = Now }).Entity;
            await db.SaveChangesAsync();
            draftOnly = form.Id;
        }

        var problems = await InvalidAsync(Request(formIds: [_history.IntakeFormId, _phq9.IntakeFormId, draftOnly]));

        Assert.Equal([IntakeFormSendMessages.Archived(_phq9.Title), IntakeFormSendMessages.NeverPublished("Sleep diary")], problems);
        await AssertNothingSentAsync();
        Assert.Single(await AuditAsync(AuditActions.IntakeFormSendRefused));
    }

    [Fact]
    public async Task No_form_too_many_forms_and_an_unknown_form_are_each_refused_with_their_reason()
    {
        Assert.Equal([IntakeFormSendMessages.NoForm], await InvalidAsync(new SendIntakeFormRequest(_emma.Id, [])));
        Assert.Equal([IntakeFormSendMessages.TooMany(11)], await InvalidAsync(new SendIntakeFormRequest(_emma.Id, [.. Enumerable.Range(1, 11)])));
        Assert.Equal([IntakeFormSendMessages.FormGone], await InvalidAsync(Request(formIds: [_history.IntakeFormId, 999_999])));

        await AssertNothingSentAsync();
        Assert.Equal(3, (await AuditAsync(AuditActions.IntakeFormSendRefused)).Count);
    }

    [Fact]
    public async Task An_appointment_of_another_client_or_not_upcoming_is_refused()
    {
        var liam = await _host.AddClientAsync("Liam", "Chen", email: "liam@example.com");
        var liams = await _host.AddAppointmentAsync(liam.Id, MondayTenAm);
        var past = await _host.AddAppointmentAsync(_emma.Id, Now.AddHours(-1));
        var cancelled = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm.AddDays(1));
        await using (var db = await _host.DbAsync())
            await db.Appointments.Where(a => a.Id == cancelled.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AppointmentStatus.Cancelled));

        Assert.Equal([IntakeFormSendMessages.NotTheirAppointment("Emma Smith")], await InvalidAsync(Request(liams.Id)));
        Assert.Equal([IntakeFormSendMessages.NotUpcoming], await InvalidAsync(Request(past.Id)));
        Assert.Equal([IntakeFormSendMessages.NotUpcoming], await InvalidAsync(Request(cancelled.Id)));

        await AssertNothingSentAsync();
    }

    [Fact]
    public async Task Parallel_sends_of_the_same_forms_send_once_and_refuse_the_others_because_the_forms_are_waiting()
    {
        const int senders = 6;
        using var barrier = new Barrier(senders);
        // Each send starts on a thread of its own once all are ready, so they reach the database together.
        var results = await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Factory.StartNew(async () =>
        {
            Assert.True(barrier.SignalAndWait(TimeSpan.FromSeconds(30)));
            return await Sender.SendAsync(Request(), Staff.FrontDesk);
        }, TaskCreationOptions.LongRunning).Unwrap()));

        Assert.Single(results.OfType<IntakeFormSendResult.Sent>());
        var expected = IntakeFormSendMessages.AlreadyWaiting("Emma Smith", [_history.Title, _phq9.Title], forAppointment: false);
        Assert.Equal(Enumerable.Repeat(expected, senders - 1), results.OfType<IntakeFormSendResult.Refused>().Select(r => r.Reason));
        await using var db = await _host.DbAsync();
        Assert.Equal((2, 1, 1), (await db.FormAssignments.CountAsync(), await db.Conversations.CountAsync(), await db.OutboxEmails.CountAsync()));
        Assert.Single(await AuditAsync(AuditActions.IntakeFormSend));
        Assert.Equal(senders - 1, (await AuditAsync(AuditActions.IntakeFormSendRefused)).Count);
    }

    [Fact]
    public async Task A_form_still_waiting_is_not_sent_again_but_it_may_go_again_for_another_appointment()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        var later = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm.AddDays(14));
        Assert.IsType<IntakeFormSendResult.Sent>(await Sender.SendAsync(Request(monday.Id, formIds: _phq9.IntakeFormId), Staff.FrontDesk));

        Assert.Equal(IntakeFormSendMessages.AlreadyWaiting("Emma Smith", [_phq9.Title], forAppointment: true), await RefusedAsync(Request(monday.Id)));
        Assert.IsType<IntakeFormSendResult.Sent>(await Sender.SendAsync(Request(later.Id), Staff.FrontDesk));
    }

    [Fact]
    public async Task A_rule_sends_as_the_system_recording_the_rule_and_no_staff_member()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, type: "New patient assessment");
        int ruleId;
        await using (var db = await _host.DbAsync())
        {
            var rule = db.FormRules.Add(new FormRule
            {
                IntakeFormId = _history.IntakeFormId, AppointmentTypeId = monday.AppointmentTypeId, DaysBefore = 3, IsActive = true, CreatedAtUtc = Now, CreatedByName = "Alex Admin",
            }).Entity;
            await db.SaveChangesAsync();
            ruleId = rule.Id;
        }

        var sent = Assert.IsType<IntakeFormSendResult.Sent>(await Sender.SendAsync(Request(monday.Id, formIds: _history.IntakeFormId),
            new FormSender.Rule(ruleId, "General health history 3 days before New patient assessment")));

        await using var check = await _host.DbAsync();
        var assignment = await check.FormAssignments.AsNoTracking().SingleAsync();
        Assert.Equal((ruleId, "Rule: General health history 3 days before New patient assessment"), (assignment.FormRuleId, assignment.SentByName));
        Assert.Contains("Kind regards,\nThe team\nTest Clinic", (await check.ConversationMessages.AsNoTracking().SingleAsync(m => m.ConversationId == sent.ConversationId)).Body);
        var audit = Assert.Single(await AuditAsync(AuditActions.IntakeFormSend));
        Assert.Null(audit.StaffUserId);
        Assert.StartsWith($"By rule {ruleId}: Forms {_history.IntakeFormId}", audit.Details);

        // Once submitted, the form is no longer waiting, but the rule still sent it for this appointment: not again.
        await check.FormAssignments.ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, FormAssignmentStatus.Submitted));
        var again = await Sender.SendAsync(Request(monday.Id, formIds: _history.IntakeFormId), new FormSender.Rule(ruleId, "General health history 3 days before New patient assessment"));
        Assert.Equal(IntakeFormSendMessages.RuleAlreadySent, Assert.IsType<IntakeFormSendResult.Refused>(again).Reason);
        Assert.StartsWith($"By rule {ruleId}: Rule {ruleId} already sent", Assert.Single(await AuditAsync(AuditActions.IntakeFormSendRefused)).Details);
    }

    [Fact]
    public async Task A_full_access_caregiver_is_notified_and_sees_the_message_but_an_appointments_only_caregiver_neither()
    {
        var (full, _) = await CaregiverSeed.ActiveAsync(_host, _emma.Id, "partner@example.com", first: "Sam", last: "Smith");
        var (appointmentsOnly, _) = await CaregiverSeed.ActiveAsync(_host, _emma.Id, "daughter@example.com", CaregiverAccessLevel.AppointmentsOnly, first: "Zoe", last: "Smith");

        Assert.IsType<IntakeFormSendResult.Sent>(await Sender.SendAsync(Request(), Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        Assert.Equal(["emma.smith@example.com", "partner@example.com"], (await db.OutboxEmails.Select(e => e.ToAddress).ToListAsync()).Order());
        var today = new DateOnly(2026, 3, 4);
        var sam = (await PortalAccountQuery.LoadAsync(db, full.Id, full.SecurityStamp, today))!.Find(_emma.Id)!;
        var zoe = (await PortalAccountQuery.LoadAsync(db, appointmentsOnly.Id, appointmentsOnly.SecurityStamp, today))!.Find(_emma.Id)!;
        Assert.True(sam.SeesMessages);
        Assert.False(zoe.SeesMessages);
    }

    [Fact]
    public async Task A_full_disk_is_a_refusal_that_leaves_neither_the_message_nor_any_form()
    {
        // A long message: it then needs new database pages, which a full disk cannot give.
        var template = Assert.IsType<TemplateSaveResult.Saved>(await _host.Scoped<TemplateService>().SaveAsync(new TemplateEditModel
        {
            Kind = TemplateKind.IntakeFormRequest, Name = "Long", Subject = "Forms", Body = "{{ forms }} " + string.Join(" ", Enumerable.Repeat("welcome", 590)),
        }, Staff.Admin));
        _host.FillDisk();

        Assert.Equal(DatabaseFailures.Message, await RefusedAsync(Request() with { TemplateId = template.Id }));

        await AssertNothingSentAsync();
    }

    [Fact]
    public async Task A_signed_in_user_with_no_staff_role_cannot_send()
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Sender.SendAsync(Request(), new StaffActor("someone", "Some One")));

        await AssertNothingSentAsync();
    }
}
