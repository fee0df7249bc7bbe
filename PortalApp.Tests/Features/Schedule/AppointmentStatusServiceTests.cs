using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Schedule;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Schedule;

[Trait("Providers", "Both")]
public sealed class AppointmentStatusServiceTests : IAsyncLifetime
{
    private static readonly DateOnly Friday = new(2026, 3, 6);
    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private Practitioner _chen = null!;
    private AppointmentType _followUp = null!;

    private AppointmentStatusService Statuses => _host.Scoped<AppointmentStatusService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
        _chen = await _host.AddPractitionerAsync("Dr. Chen", staffUserId: null);
        _followUp = await _host.AddTypeAsync();
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task<int> BookAsync(string time = "09:00") =>
        (await _host.Scoped<BookingService>().BookAsync(ScheduleTestData.Form(_emma.Id, _chen.Id, _followUp.Id, Friday, time), Staff.FrontDesk)).Booked();

    [Fact]
    public async Task Cancelling_needs_a_bounded_reason_which_goes_to_the_history_but_not_the_audit_log()
    {
        var id = await BookAsync();

        Assert.Equal(ScheduleMessages.ReasonMissing, (await Statuses.CancelAsync(id, 0, "  ", Staff.FrontDesk)).Refusal());
        Assert.Equal(ScheduleMessages.ReasonTooLong, (await Statuses.CancelAsync(id, 0, new string('x', 301), Staff.FrontDesk)).Refusal());
        Assert.IsType<ScheduleResult.Done>(await Statuses.CancelAsync(id, 0, "Client has the flu", Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        var a = await db.Appointments.SingleAsync(x => x.Id == id);
        Assert.Equal((AppointmentStatus.Cancelled, "Client has the flu", 1), (a.Status, a.CancelReason, a.Version));
        Assert.Equal("Fri 6 Mar 09:00: Client has the flu", (await db.AppointmentChanges.SingleAsync(c => c.Kind == AppointmentChangeKind.Cancelled)).Details);
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.AppointmentCancel);
        Assert.Equal($"Appointment {id}; Booked → Cancelled", audit.Details);
    }

    [Fact]
    public async Task Front_desk_confirms_for_a_patient_who_phoned_and_the_appointment_history_and_audit_say_staff_did()
    {
        var id = await BookAsync();

        Assert.Equal("Confirmed Fri 6 Mar 09:00 for the patient.",
            Assert.IsType<ScheduleResult.Done>(await Statuses.ConfirmForPatientAsync(id, 0, Staff.FrontDesk)).Message);

        await using var db = await _host.DbAsync();
        var a = await db.Appointments.SingleAsync(x => x.Id == id);
        Assert.Equal((AppointmentStatus.Booked, "staff", _host.Time.GetUtcNow().UtcDateTime, 1), (a.Status, a.ConfirmedVia, a.ConfirmedAtUtc, a.Version));
        var change = await db.AppointmentChanges.SingleAsync(c => c.Kind == AppointmentChangeKind.Confirmed);
        Assert.Equal(("Fran Desk", "for the patient, by staff"), (change.StaffDisplayName, change.Details));
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.AppointmentConfirm);
        Assert.Equal((Staff.FrontDesk.UserId, _emma.Id, $"Appointment {id}; by staff for the patient"), (audit.StaffUserId, audit.ClientId, audit.Details));
    }

    [Fact]
    public async Task Confirming_for_the_patient_is_refused_to_practitioners_twice_on_a_stale_copy_and_when_not_booked_or_started()
    {
        var id = await BookAsync();
        Assert.Equal(ScheduleMessages.NotAllowedToBook, (await Statuses.ConfirmForPatientAsync(id, 0, Staff.Practitioner)).Refusal());
        Assert.IsType<ScheduleResult.Done>(await Statuses.ConfirmForPatientAsync(id, 0, Staff.Admin));
        Assert.Equal(ScheduleMessages.ChangedMeanwhile, (await Statuses.ConfirmForPatientAsync(id, 0, Staff.FrontDesk)).Refusal());
        Assert.Equal(ScheduleMessages.AlreadyConfirmed, (await Statuses.ConfirmForPatientAsync(id, 1, Staff.FrontDesk)).Refusal());

        var cancelled = await BookAsync("11:00");
        Assert.IsType<ScheduleResult.Done>(await Statuses.CancelAsync(cancelled, 0, "Clinic closed", Staff.FrontDesk));
        Assert.Equal("This appointment is cancelled: only a booked appointment can be confirmed.",
            (await Statuses.ConfirmForPatientAsync(cancelled, 1, Staff.FrontDesk)).Refusal());

        var started = await BookAsync("13:00");
        await using (var db = await _host.DbAsync())
            _host.Time.SetUtcNow((await db.Appointments.SingleAsync(a => a.Id == started)).StartUtc);
        Assert.Equal(ScheduleMessages.ConfirmTooLate, (await Statuses.ConfirmForPatientAsync(started, 0, Staff.FrontDesk)).Refusal());
        Assert.Equal(ScheduleMessages.AppointmentGone, (await Statuses.ConfirmForPatientAsync(999_999, 0, Staff.FrontDesk)).Refusal());

        await using var check = await _host.DbAsync();
        Assert.Equal(1, await check.AuditEvents.CountAsync(e => e.Action == AuditActions.AppointmentConfirm));
        Assert.Equal([id], await check.Appointments.Where(a => a.ConfirmedAtUtc != null).Select(a => a.Id).ToListAsync());
    }

    [Fact]
    public async Task Arrived_then_completed_each_leave_a_history_row_and_an_audit_row()
    {
        var id = await BookAsync();

        Assert.Equal("Marked arrived.", Assert.IsType<ScheduleResult.Done>(await Statuses.MarkAsync(id, 0, AppointmentStatus.Arrived, Staff.FrontDesk)).Message);
        Assert.IsType<ScheduleResult.Done>(await Statuses.MarkAsync(id, 1, AppointmentStatus.Completed, Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        Assert.Equal([AppointmentChangeKind.Booked, AppointmentChangeKind.Arrived, AppointmentChangeKind.Completed],
            await db.AppointmentChanges.Where(c => c.AppointmentId == id).OrderBy(c => c.Id).Select(c => c.Kind).ToListAsync());
        Assert.Equal(2, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.AppointmentStatusChange));
    }

    [Theory]
    [InlineData(AppointmentStatus.Completed, "This appointment is cancelled: it cannot be marked completed.")]
    [InlineData(AppointmentStatus.Arrived, "This appointment is cancelled: it cannot be marked arrived.")]
    public async Task Impossible_moves_are_refused_with_a_message(AppointmentStatus to, string message)
    {
        var id = await BookAsync();
        Assert.IsType<ScheduleResult.Done>(await Statuses.CancelAsync(id, 0, "Clinic closed", Staff.FrontDesk));

        Assert.Equal(message, (await Statuses.MarkAsync(id, 1, to, Staff.FrontDesk)).Refusal());
    }

    [Fact]
    public async Task A_completed_visit_cannot_be_cancelled_or_moved()
    {
        var id = await BookAsync();
        Assert.IsType<ScheduleResult.Done>(await Statuses.MarkAsync(id, 0, AppointmentStatus.Completed, Staff.FrontDesk));

        Assert.Equal("This appointment is completed: it cannot be marked cancelled.", (await Statuses.CancelAsync(id, 1, "Oops", Staff.FrontDesk)).Refusal());
        var move = ScheduleTestData.Form(_emma.Id, _chen.Id, _followUp.Id, Friday, "11:00");
        (move.AppointmentId, move.Version) = (id, 1);
        Assert.Equal(ScheduleMessages.NotMovable(AppointmentStatus.Completed), (await _host.Scoped<BookingService>().ChangeAsync(move, Staff.FrontDesk)).Refusal());
    }

    [Fact]
    public async Task Reopening_a_cancelled_visit_is_refused_when_its_time_was_taken()
    {
        var id = await BookAsync();
        Assert.IsType<ScheduleResult.Done>(await Statuses.CancelAsync(id, 0, "Client called", Staff.FrontDesk));
        await BookAsync("09:15");

        Assert.Equal("Dr. Chen is already booked 09:15–09:45 (Follow-up). Choose another time, or another practitioner.",
            (await Statuses.MarkAsync(id, 1, AppointmentStatus.Booked, Staff.FrontDesk)).Refusal());
    }

    [Fact]
    public async Task A_practitioner_marks_their_own_visits_but_not_others_and_cannot_cancel()
    {
        var own = await _host.AddPractitionerAsync("Dr. Okafor", staffUserId: await AddStaffUserAsync(Staff.Practitioner.UserId));
        var theirs = (await _host.Scoped<BookingService>().BookAsync(ScheduleTestData.Form(_emma.Id, own.Id, _followUp.Id, Friday, "09:00"), Staff.FrontDesk)).Booked();
        var chens = await BookAsync();

        Assert.IsType<ScheduleResult.Done>(await Statuses.MarkAsync(theirs, 0, AppointmentStatus.Arrived, Staff.Practitioner));
        Assert.Equal(ScheduleMessages.NotAllowedToMark, (await Statuses.MarkAsync(chens, 0, AppointmentStatus.Arrived, Staff.Practitioner)).Refusal());
        Assert.Equal(ScheduleMessages.NotAllowedToBook, (await Statuses.CancelAsync(theirs, 1, "No", Staff.Practitioner)).Refusal());
    }

    [Fact]
    public async Task A_stale_version_is_refused()
    {
        var id = await BookAsync();
        Assert.IsType<ScheduleResult.Done>(await Statuses.MarkAsync(id, 0, AppointmentStatus.Arrived, Staff.FrontDesk));

        Assert.Equal(ScheduleMessages.ChangedMeanwhile, (await Statuses.MarkAsync(id, 0, AppointmentStatus.NoShow, Staff.Admin)).Refusal());
    }

    private async Task<string> AddStaffUserAsync(string id)
    {
        await using var db = await _host.DbAsync();
        db.Users.Add(new PortalUser { Id = id, UserName = id + "@clinic.example", Email = id + "@clinic.example", DisplayName = "Dr. Amara Okafor" });
        await db.SaveChangesAsync();
        return id;
    }
}
