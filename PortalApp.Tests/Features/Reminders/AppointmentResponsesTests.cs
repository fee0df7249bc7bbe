using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Reminders;
using PortalApp.Features.Schedule;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.Reminders.ReminderTestData;

namespace PortalApp.Tests.Features.Reminders;

/// <summary>A patient confirming or cancelling themselves. The host's "now" is Wed 4 Mar 2026 10:00 in Toronto.</summary>
[Trait("Providers", "Both")]
public sealed class AppointmentResponsesTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _jane = null!;
    private readonly List<PatientResponseNotice> _notices = [];

    private AppointmentResponses Responses => _host.Scoped<AppointmentResponses>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        await _host.SetClinicPhoneAsync("(416) 555-0100");
        _jane = await ReminderTestData.AddClientAsync(_host.DbAsync, "Jane", "Doe", ReminderTestData.NewMobile());
        _host.Get<ScheduleEvents>().PatientResponded += n => { lock (_notices) _notices.Add(n); };
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private Task<Appointment> BookAsync(DateTime? start = null) => ReminderTestData.BookAsync(_host.DbAsync, _jane.Id, start ?? Friday9);

    private async Task<Appointment> ReadAsync(int id)
    {
        await using var db = await _host.DbAsync();
        return await db.Appointments.AsNoTracking().Include(a => a.Changes).SingleAsync(a => a.Id == id);
    }

    private async Task<List<AuditEvent>> AuditAsync(string action)
    {
        await using var db = await _host.DbAsync();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }

    [Fact]
    public async Task Confirming_records_when_and_how_in_the_history_and_audit_log_and_tells_the_schedule_once()
    {
        var appointment = await BookAsync();

        var first = await Responses.ConfirmAsync(appointment.Id, _jane.Id, ResponseVia.TextReply);
        var again = await Responses.ConfirmAsync(appointment.Id, _jane.Id, ResponseVia.VoiceCall);

        Assert.Equal("Thank you: your appointment on Friday 6 March at 9:00 AM is confirmed.", Assert.IsType<PatientResponseResult.Done>(first).Message);
        Assert.IsType<PatientResponseResult.Done>(again);
        var stored = await ReadAsync(appointment.Id);
        Assert.Equal((AppointmentStatus.Booked, _host.Time.GetUtcNow().UtcDateTime, "text reply", 1),
            (stored.Status, stored.ConfirmedAtUtc, stored.ConfirmedVia, stored.Version));
        var change = Assert.Single(stored.Changes);
        Assert.Equal((AppointmentChangeKind.Confirmed, "Jane Doe (patient)", "by text reply", null), (change.Kind, change.StaffDisplayName, change.Details, change.StaffUserId));
        var audit = Assert.Single(await AuditAsync(AuditActions.AppointmentConfirm));
        Assert.Equal((null, _jane.Id, $"Appointment {appointment.Id}; by text reply"), (audit.StaffUserId, audit.ClientId, audit.Details));
        Assert.Equal([new PatientResponseNotice(appointment.Id, _jane.Id, false, "text reply")], _notices);
    }

    [Fact]
    public async Task Cancelling_sets_the_status_and_a_reason_that_says_how_with_history_audit_and_a_notice()
    {
        var appointment = await BookAsync();

        var result = await Responses.CancelAsync(appointment.Id, _jane.Id, ResponseVia.VoiceCall);

        Assert.Equal("Your appointment on Friday 6 March at 9:00 AM is cancelled. To book another, please call Test Clinic at (416) 555-0100.",
            Assert.IsType<PatientResponseResult.Done>(result).Message);
        var stored = await ReadAsync(appointment.Id);
        Assert.Equal((AppointmentStatus.Cancelled, "Cancelled by the patient (voice call)"), (stored.Status, stored.CancelReason));
        var change = Assert.Single(stored.Changes);
        Assert.Equal((AppointmentChangeKind.Cancelled, "Jane Doe (patient)", "Fri 6 Mar 09:00: by voice call"), (change.Kind, change.StaffDisplayName, change.Details));
        var audit = Assert.Single(await AuditAsync(AuditActions.AppointmentCancel));
        Assert.Equal((null, _jane.Id), (audit.StaffUserId, audit.ClientId));
        Assert.Equal([new PatientResponseNotice(appointment.Id, _jane.Id, true, "voice call")], _notices);
        var history = (await _host.Scoped<ScheduleQueries>().DetailsAsync(appointment.Id))!.History;
        Assert.Contains(history, h => h is { Kind: AppointmentChangeKind.Cancelled, StaffDisplayName: "Jane Doe (patient)" });
    }

    [Fact]
    public async Task Cancelling_within_the_cutoff_is_refused_with_the_clinics_phone_and_changes_nothing()
    {
        // Thursday 5 March 09:00: 23 hours ahead, inside the default 24.
        var tomorrow = await BookAsync(new DateTime(2026, 3, 5, 14, 0, 0, DateTimeKind.Utc));

        var result = await Responses.CancelAsync(tomorrow.Id, _jane.Id, ResponseVia.TextReply);

        var refused = Assert.IsType<PatientResponseResult.Refused>(result);
        Assert.Equal(ResponseRefusal.TooLate, refused.Reason);
        Assert.Equal("Appointments can't be cancelled online less than 24 hours before they start. To cancel, please call Test Clinic at (416) 555-0100.", refused.Message);
        await AssertUntouchedAsync(tomorrow.Id);
    }

    [Fact]
    public async Task Cancelling_when_the_clinic_turned_online_cancelling_off_is_refused()
    {
        var appointment = await BookAsync();
        await ReminderTestData.SetRemindersAsync(_host.DbAsync, s => s.AllowOnlineCancel = false);

        var refused = Assert.IsType<PatientResponseResult.Refused>(await Responses.CancelAsync(appointment.Id, _jane.Id, ResponseVia.ReminderLink));

        Assert.Equal("Test Clinic doesn't take cancellations online. To cancel, please call Test Clinic at (416) 555-0100.", refused.Message);
        await AssertUntouchedAsync(appointment.Id);
    }

    [Fact]
    public async Task Another_clients_appointment_an_ended_card_and_an_appointment_no_longer_booked_are_refused()
    {
        var appointment = await BookAsync();
        var other = await ReminderTestData.AddClientAsync(_host.DbAsync, "Other", "Person", null);
        var ended = await ReminderTestData.AddClientAsync(_host.DbAsync, "Ended", "Card", null, endDate: new DateOnly(2026, 3, 1));
        var endedVisit = await ReminderTestData.BookAsync(_host.DbAsync, ended.Id, Friday9.AddHours(2));
        var cancelled = await BookAsync(Friday9.AddHours(4));
        Assert.IsType<PatientResponseResult.Done>(await Responses.CancelAsync(cancelled.Id, _jane.Id, ResponseVia.TextReply));

        Assert.Equal(ResponseRefusal.NotFound, Refusal(await Responses.CancelAsync(appointment.Id, other.Id, ResponseVia.TextReply)));
        Assert.Equal(ResponseRefusal.ClientEnded, Refusal(await Responses.ConfirmAsync(endedVisit.Id, ended.Id, ResponseVia.TextReply)));
        Assert.Equal(ResponseRefusal.NotUpcoming, Refusal(await Responses.ConfirmAsync(cancelled.Id, _jane.Id, ResponseVia.TextReply)));
        _host.Time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(ResponseRefusal.NotUpcoming, Refusal(await Responses.ConfirmAsync(appointment.Id, _jane.Id, ResponseVia.TextReply)));
        await AssertUntouchedAsync(appointment.Id);
    }

    [Fact]
    public async Task A_front_desk_cancel_and_a_patient_cancel_at_once_leave_one_winner_and_tell_the_other()
    {
        // Several rounds: one race alone overlaps too rarely to catch a missing lock.
        for (var round = 0; round < 5; round++)
        {
            var appointment = await BookAsync(Friday9.AddHours(round));
            using var barrier = new Barrier(2);
            var staff = Task.Run(async () =>
            {
                var statuses = _host.Scoped<AppointmentStatusService>();
                barrier.SignalAndWait(TimeSpan.FromSeconds(30));
                return await statuses.CancelAsync(appointment.Id, 0, "Clinic closed", Staff.FrontDesk);
            });
            var patient = Task.Run(async () =>
            {
                var responses = Responses;
                barrier.SignalAndWait(TimeSpan.FromSeconds(30));
                return await responses.CancelAsync(appointment.Id, _jane.Id, ResponseVia.TextReply);
            });

            var (byStaff, byPatient) = (await staff, await patient);

            var stored = await ReadAsync(appointment.Id);
            Assert.Single(stored.Changes, c => c.Kind == AppointmentChangeKind.Cancelled);
            if (byStaff is ScheduleResult.Done)
            {
                Assert.Equal(ResponseRefusal.NotUpcoming, Refusal(byPatient));
                Assert.Equal("Clinic closed", stored.CancelReason);
            }
            else
            {
                Assert.Equal(ScheduleMessages.ChangedMeanwhile, Assert.IsType<ScheduleResult.Refused>(byStaff).Message);
                Assert.IsType<PatientResponseResult.Done>(byPatient);
                Assert.Equal("Cancelled by the patient (text reply)", stored.CancelReason);
            }
        }
    }

    [Fact]
    public async Task A_reply_to_a_reminder_of_an_earlier_time_confirms_nothing()
    {
        var appointment = await BookAsync();
        var request = new AppointmentResponses.Request(appointment.Id, _jane.Id, ResponseVia.TextReply, Cancel: false, ExpectedStartUtc: Friday9.AddDays(-1));

        Assert.Equal(ResponseRefusal.Changed, Refusal(await Responses.RespondAsync(request, default)));
        await AssertUntouchedAsync(appointment.Id);
    }

    private static ResponseRefusal Refusal(PatientResponseResult result) => Assert.IsType<PatientResponseResult.Refused>(result).Reason;

    private async Task AssertUntouchedAsync(int appointmentId)
    {
        var stored = await ReadAsync(appointmentId);
        Assert.Equal((AppointmentStatus.Booked, null, 0), (stored.Status, stored.ConfirmedAtUtc, stored.Version));
        Assert.Empty(stored.Changes);
    }
}
