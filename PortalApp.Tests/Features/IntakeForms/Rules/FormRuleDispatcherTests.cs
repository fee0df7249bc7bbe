using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Rules;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.IntakeForms.Rules;

/// <summary>
/// The rules by appointment type applied to bookings, reschedules and cancellations. The clock starts on Wednesday
/// 4 March 2026, 10:00 in Toronto; the rule sends General health history 3 days before a New patient assessment,
/// unless it was completed in the last 12 months.
/// </summary>
[Trait("Providers", "Both")]
public sealed class FormRuleDispatcherTests : IAsyncLifetime
{
    private const string Assessment = "New patient assessment";

    /// <summary>Monday 9 March 2026, 10:00 in Toronto (daylight time from Sunday).</summary>
    private static readonly DateTime MondayTenAm = new(2026, 3, 9, 14, 0, 0, DateTimeKind.Utc);

    /// <summary>Friday 6 March, 08:00 in Toronto (standard time): three days before Monday, at the hour rules send.</summary>
    private static readonly DateTime FridayEightAm = new(2026, 3, 6, 13, 0, 0, DateTimeKind.Utc);

    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private int _historyFormId;
    private int _ruleId;

    private FormRuleDispatcher Rules => _host.Scoped<FormRuleDispatcher>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await WithPortalAccountAsync(await _host.AddClientAsync());
        var first = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm.AddDays(30), type: Assessment); // makes the type
        await using var db = await _host.DbAsync();
        db.Appointments.Remove(await db.Appointments.SingleAsync(a => a.Id == first.Id));
        await db.SaveChangesAsync();
        _historyFormId = await db.IntakeForms.Where(f => f.StarterKey == StarterForms.HealthHistoryKey).Select(f => f.Id).SingleAsync();
        var typeId = await db.AppointmentTypes.Where(t => t.Name == Assessment).Select(t => t.Id).SingleAsync();
        Assert.True((await _host.Scoped<FormRuleService>().SaveAsync(
            new FormRuleForm { IntakeFormId = _historyFormId, AppointmentTypeId = typeId, DaysBefore = 3, SkipIfCompletedWithinMonths = 12 }, Staff.Admin)).Saved);
        _ruleId = await db.FormRules.Select(r => r.Id).SingleAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<Client> WithPortalAccountAsync(Client client)
    {
        await using var db = await _host.DbAsync();
        db.Users.Add(new PortalUser { UserName = client.Email, Email = client.Email, ClientId = client.Id, DisplayName = $"{client.FirstName} {client.LastName}" });
        await db.SaveChangesAsync();
        return client;
    }

    private void At(DateTime utc) => _host.Time.SetUtcNow(utc);

    private async Task<List<FormAssignment>> AssignmentsAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.FormAssignments.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task A_booking_gets_its_form_at_8_am_three_days_before_and_only_once()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, type: Assessment);

        Assert.Equal(new FormRulePass(0, 0, 0), await Rules.ApplyAsync());
        At(FridayEightAm.AddMinutes(-1));
        Assert.Equal(0, (await Rules.ApplyAsync()).Sent);
        At(FridayEightAm);
        Assert.Equal(1, (await Rules.ApplyAsync()).Sent);
        Assert.Equal(0, (await Rules.ApplyAsync()).Sent);

        var sent = Assert.Single(await AssignmentsAsync());
        Assert.Equal((_ruleId, monday.Id, MondayTenAm, FormAssignmentStatus.ToDo), (sent.FormRuleId, sent.AppointmentId, sent.DueAtUtc, sent.Status));
        Assert.Equal("Rule: General health history 3 days before New patient assessment", sent.SentByName);
        // Two days before, at the appointment's wall-clock time (10:00 on Saturday, still standard time).
        Assert.Equal(new DateTime(2026, 3, 7, 15, 0, 0, DateTimeKind.Utc), sent.NextReminderAtUtc);
    }

    [Fact]
    public async Task A_booking_made_after_the_rule_s_day_gets_the_form_at_once()
    {
        await _host.AddAppointmentAsync(_emma.Id, _host.Time.GetUtcNow().UtcDateTime.AddDays(1), type: Assessment);

        Assert.Equal(1, (await Rules.ApplyAsync()).Sent);
    }

    [Fact]
    public async Task Other_appointment_types_inactive_rules_and_past_appointments_send_nothing()
    {
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, type: "Follow-up");
        await _host.AddAppointmentAsync(_emma.Id, _host.Time.GetUtcNow().UtcDateTime.AddHours(-1), type: Assessment);
        At(FridayEightAm);

        Assert.Equal(0, (await Rules.ApplyAsync()).Sent);
        Assert.Empty(await AssignmentsAsync());
    }

    [Theory]
    [InlineData(11, false)]
    [InlineData(13, true)]
    public async Task A_form_completed_within_12_months_is_not_sent_again(int monthsAgo, bool sent)
    {
        await using (var db = await _host.DbAsync())
        {
            var version = await db.IntakeFormVersions.FirstAsync(v => v.IntakeFormId == _historyFormId);
            await FormSeeds.RespondAsync(db, _emma.Id, version, FormAnswers.Empty, FridayEightAm.AddMonths(-monthsAgo));
        }
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, type: Assessment);
        At(FridayEightAm);

        Assert.Equal(sent ? 1 : 0, (await Rules.ApplyAsync()).Sent);
    }

    [Fact]
    public async Task End_dated_patients_and_patients_without_a_portal_account_get_nothing_and_no_refusal_on_every_pass()
    {
        var ended = await WithPortalAccountAsync(await _host.AddClientAsync("Ended", "Patient", email: "ended@example.com", endDate: new DateOnly(2026, 3, 1)));
        var noAccount = await _host.AddClientAsync("No", "Account", email: "none@example.com");
        await _host.AddAppointmentAsync(ended.Id, MondayTenAm, type: Assessment);
        await _host.AddAppointmentAsync(noAccount.Id, MondayTenAm.AddHours(1), type: Assessment);
        At(FridayEightAm);

        Assert.Equal(0, (await Rules.ApplyAsync()).Sent);
        Assert.Equal(0, (await Rules.ApplyAsync()).Sent);

        await using var db = await _host.DbAsync();
        Assert.Empty(await db.FormAssignments.ToListAsync());
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.IntakeFormSendRefused));
    }

    [Fact]
    public async Task A_rescheduled_appointment_moves_the_due_date_and_the_reminders()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, type: Assessment);
        At(FridayEightAm);
        await Rules.ApplyAsync();
        var nextMonday = MondayTenAm.AddDays(7);
        await using (var db = await _host.DbAsync())
        {
            var appointment = await db.Appointments.SingleAsync(a => a.Id == monday.Id);
            appointment.StartUtc = nextMonday;
            appointment.EndUtc = nextMonday.AddMinutes(30);
            await db.SaveChangesAsync();
        }

        Assert.Equal(new FormRulePass(0, 1, 0), await Rules.ApplyAsync());

        var moved = Assert.Single(await AssignmentsAsync());
        Assert.Equal(nextMonday, moved.DueAtUtc);
        Assert.Equal(nextMonday.AddDays(-2), moved.NextReminderAtUtc); // Saturday 14 March, 10:00 daylight time
        Assert.Equal(new FormRulePass(0, 0, 0), await Rules.ApplyAsync());
    }

    [Fact]
    public async Task A_cancelled_appointment_withdraws_an_unstarted_form_and_leaves_a_started_one()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, type: Assessment);
        var ada = await WithPortalAccountAsync(await _host.AddClientAsync("Ada", "Started", email: "ada@example.com"));
        var adas = await _host.AddAppointmentAsync(ada.Id, MondayTenAm.AddHours(1), type: Assessment);
        At(FridayEightAm);
        Assert.Equal(2, (await Rules.ApplyAsync()).Sent);
        await using (var db = await _host.DbAsync())
        {
            var started = await db.FormAssignments.SingleAsync(a => a.ClientId == ada.Id);
            started.Status = FormAssignmentStatus.Draft;
            started.DraftAnswersJson = "{}";
            foreach (var appointment in await db.Appointments.Where(a => a.Id == monday.Id || a.Id == adas.Id).ToListAsync())
                appointment.Status = AppointmentStatus.Cancelled;
            await db.SaveChangesAsync();
        }

        Assert.Equal(new FormRulePass(0, 0, 1), await Rules.ApplyAsync());

        var forms = await AssignmentsAsync();
        Assert.Equal(FormAssignmentStatus.Withdrawn, forms.Single(a => a.ClientId == _emma.Id).Status);
        Assert.Null(forms.Single(a => a.ClientId == _emma.Id).NextReminderAtUtc);
        Assert.Equal(FormAssignmentStatus.Draft, forms.Single(a => a.ClientId == ada.Id).Status);
        await using var check = await _host.DbAsync();
        var audit = await check.AuditEvents.SingleAsync(e => e.Action == AuditActions.IntakeFormWithdraw);
        Assert.Equal((_emma.Id, null), (audit.ClientId, audit.StaffUserId));
    }

    [Fact]
    public async Task The_database_refuses_a_second_send_of_one_rule_for_one_appointment()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, type: Assessment);
        At(FridayEightAm);
        await Rules.ApplyAsync();
        var first = Assert.Single(await AssignmentsAsync());

        await using var db = await _host.DbAsync();
        db.FormAssignments.Add(new FormAssignment
        {
            ClientId = _emma.Id, IntakeFormId = first.IntakeFormId, IntakeFormVersionId = first.IntakeFormVersionId, AppointmentId = monday.Id,
            FormRuleId = _ruleId, SentAtUtc = FridayEightAm, SentByName = "Second instance",
        });
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(DatabaseFailures.IsUniqueViolation(refused));
    }
}
