using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Rules;
using PortalApp.Features.IntakeForms.Sending;
using PortalApp.Features.Portal.Forms;
using static PortalApp.Tests.Features.Portal.Forms.PortalFormsTesting;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.IntakeForms.Rules;

/// <summary>
/// Reminders for unfinished forms: 2 days before the linked appointment and at 08:00 the day before, stopping the
/// moment the form is submitted. The clock starts on Wednesday 4 March 2026, 10:00 in Toronto.
/// </summary>
[Trait("Providers", "Both")]
public sealed class FormReminderDispatcherTests : IAsyncLifetime
{
    /// <summary>Monday 9 March 2026, 10:00 in Toronto (daylight time from Sunday).</summary>
    private static readonly DateTime MondayTenAm = new(2026, 3, 9, 14, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime SaturdayTenAm = new(2026, 3, 7, 15, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime SundayEightAm = new(2026, 3, 8, 12, 0, 0, DateTimeKind.Utc);

    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private List<int> _assignmentIds = [];
    private int _mondayId;

    private FormReminderDispatcher Reminders => _host.Scoped<FormReminderDispatcher>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        _mondayId = monday.Id;
        await using var db = await _host.DbAsync();
        db.Users.Add(new PortalUser { UserName = "emma.smith@example.com", Email = "emma.smith@example.com", ClientId = _emma.Id, DisplayName = "Emma Smith" });
        await db.SaveChangesAsync();
        var formIds = await db.IntakeForms.Where(f => f.StarterKey == StarterForms.HealthHistoryKey || f.StarterKey == StarterForms.Phq9Key)
            .Select(f => f.Id).ToListAsync();
        var sent = Assert.IsType<IntakeFormSendResult.Sent>(await _host.Scoped<IntakeFormSender>()
            .SendAsync(new SendIntakeFormRequest(_emma.Id, formIds, monday.Id), Staff.FrontDesk));
        _assignmentIds = [.. sent.AssignmentIds];
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<List<OutboxEmail>> RemindersSentAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.OutboxEmails.AsNoTracking().Where(e => e.Kind == "form-reminder").OrderBy(e => e.Id).ToListAsync();
    }

    private async Task SubmitAsync(int assignmentId)
    {
        await using var db = await _host.DbAsync();
        var assignment = await db.FormAssignments.SingleAsync(a => a.Id == assignmentId);
        assignment.Status = FormAssignmentStatus.Submitted;
        assignment.NextReminderAtUtc = null;
        assignment.Version++;
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Two_forms_make_one_email_on_saturday_and_one_on_sunday_morning_naming_no_form()
    {
        _host.Time.SetUtcNow(SaturdayTenAm.AddMinutes(-1));
        Assert.Equal(0, await Reminders.RemindDueAsync());
        _host.Time.SetUtcNow(SaturdayTenAm);
        Assert.Equal(1, await Reminders.RemindDueAsync());
        Assert.Equal(0, await Reminders.RemindDueAsync());
        _host.Time.SetUtcNow(SundayEightAm);
        Assert.Equal(1, await Reminders.RemindDueAsync());
        _host.Time.SetUtcNow(MondayTenAm.AddHours(-1));
        Assert.Equal(0, await Reminders.RemindDueAsync());

        var emails = await RemindersSentAsync();
        Assert.Equal(2, emails.Count);
        var saturday = emails[0];
        Assert.Equal(("emma.smith@example.com", "A reminder from Test Clinic: 2 forms to fill in"), (saturday.ToAddress, saturday.Subject));
        Assert.Contains("you have 2 forms to fill in before your appointment on Mon 9 Mar 2026, 10:00 AM", saturday.TextBody);
        Assert.Contains("https://portal.clinic.example/portal/forms", saturday.TextBody);
        Assert.DoesNotContain("PHQ", saturday.TextBody + saturday.HtmlBody + saturday.Subject);
        Assert.DoesNotContain("health history", saturday.TextBody + saturday.HtmlBody, StringComparison.OrdinalIgnoreCase);
        await using var db = await _host.DbAsync();
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.IntakeFormReminder && e.ClientId == _emma.Id));
        Assert.All(await db.FormAssignments.ToListAsync(), a => Assert.Equal((null, null, null), (a.NextReminderAtUtc, a.ClaimedBy, a.LeaseExpiresAtUtc)));
    }

    [Fact]
    public async Task A_submitted_form_is_not_reminded_and_the_other_still_is()
    {
        await SubmitAsync(_assignmentIds[0]);
        _host.Time.SetUtcNow(SaturdayTenAm);

        Assert.Equal(1, await Reminders.RemindDueAsync());

        Assert.Contains("you have a form to fill in", Assert.Single(await RemindersSentAsync()).TextBody);
    }

    [Fact]
    public async Task A_form_submitted_between_the_claim_and_the_email_gets_no_reminder()
    {
        int checkInId;
        await using (var db = await _host.DbAsync())
            checkInId = (await FormSeeds.PublishAsync(db, TwoSections, _host.Time.GetUtcNow().UtcDateTime)).IntakeFormId;
        var checkIn = Assert.IsType<IntakeFormSendResult.Sent>(await _host.Scoped<IntakeFormSender>()
            .SendAsync(new SendIntakeFormRequest(_emma.Id, [checkInId], _mondayId), Staff.FrontDesk)).AssignmentIds.Single();
        var forms = _host.Scoped<PortalFormsService>();
        await forms.SaveDraftAsync(SelfSession(_emma), checkIn, 1, Posted(("name", ["Emma Smith"])), true, true);
        await forms.SaveDraftAsync(SelfSession(_emma), checkIn, 2, Posted(("sleep", ["0"])), true, true);
        _host.Time.SetUtcNow(SaturdayTenAm);
        await using var claimed = await Reminders.ClaimAsync();
        Assert.Equal(3, claimed.Rows.Count);

        // The patient presses Submit while the reminder is being made.
        Assert.IsType<FormSubmitResult.Submitted>(await forms.SubmitAsync(SelfSession(_emma), checkIn));

        Assert.Equal(0, await Reminders.SendAsync(claimed));
        Assert.Empty(await RemindersSentAsync());
        await using var check = await _host.DbAsync();
        Assert.False(await check.AuditEvents.AnyAsync(e => e.Action == AuditActions.IntakeFormReminder));
        Assert.Null((await check.FormAssignments.SingleAsync(a => a.Id == checkIn)).NextReminderAtUtc);
    }

    [Fact]
    public async Task An_end_dated_patient_gets_no_reminder_and_none_later()
    {
        await using (var db = await _host.DbAsync())
        {
            (await db.Clients.SingleAsync(c => c.Id == _emma.Id)).EndDate = new DateOnly(2026, 3, 6);
            await db.SaveChangesAsync();
        }
        _host.Time.SetUtcNow(SaturdayTenAm);

        Assert.Equal(0, await Reminders.RemindDueAsync());

        Assert.Empty(await RemindersSentAsync());
        await using var check = await _host.DbAsync();
        Assert.All(await check.FormAssignments.ToListAsync(), a => Assert.Null(a.NextReminderAtUtc));
    }
}
