using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.Schedule;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Schedule;

[Trait("Providers", "Both")]
public sealed class BookingServiceTests : IAsyncLifetime
{
    private static readonly DateOnly Friday = new(2026, 3, 6);
    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private Practitioner _chen = null!;
    private AppointmentType _followUp = null!;

    private BookingService Booking => _host.Scoped<BookingService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
        _chen = await _host.AddPractitionerAsync("Dr. Chen");
        _followUp = await _host.AddTypeAsync("Follow-up", 30);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private BookingForm Form(string time, int minutes = 30, DateOnly? day = null) =>
        ScheduleTestData.Form(_emma.Id, _chen.Id, _followUp.Id, day ?? Friday, time, minutes);

    [Fact]
    public async Task A_booking_is_stored_at_the_clinics_wall_clock_time_with_a_history_row_and_an_audit_row()
    {
        var id = (await Booking.BookAsync(Form("09:00"), Staff.FrontDesk)).Booked();

        await using var db = await _host.DbAsync();
        var a = await db.Appointments.Include(x => x.Changes).SingleAsync(x => x.Id == id);
        Assert.Equal(new DateTime(2026, 3, 6, 14, 0, 0), a.StartUtc); // 09:00 EST = 14:00 UTC
        Assert.Equal(new DateTime(2026, 3, 6, 14, 30, 0), a.EndUtc);
        Assert.Equal((AppointmentStatus.Booked, "Room 2", false), (a.Status, a.Location, a.IsVideo));
        var change = Assert.Single(a.Changes);
        Assert.Equal((AppointmentChangeKind.Booked, "Fran Desk", "Fri 6 Mar 09:00, 30 min with Dr. Chen"), (change.Kind, change.StaffDisplayName, change.Details));
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.AppointmentBook);
        Assert.Equal((_emma.Id, $"Practitioner {_chen.Id}; type {_followUp.Id}"), (audit.ClientId, audit.Details));
    }

    [Fact]
    public async Task Moving_a_confirmed_appointment_clears_the_confirmation_and_changing_its_room_keeps_it()
    {
        var id = (await Booking.BookAsync(Form("09:00"), Staff.FrontDesk)).Booked();
        Assert.IsType<PortalApp.Features.Reminders.PatientResponseResult.Done>(
            await _host.Scoped<PortalApp.Features.Reminders.AppointmentResponses>().ConfirmAsync(id, _emma.Id, PortalApp.Features.Reminders.ResponseVia.TextReply));
        var room = Form("09:00");
        (room.AppointmentId, room.Version, room.Location) = (id, 1, "Room 7");
        var move = Form("11:00");
        (move.AppointmentId, move.Version) = (id, 2);

        Assert.IsType<ScheduleResult.Done>(await Booking.ChangeAsync(room, Staff.FrontDesk));
        await using (var db = await _host.DbAsync())
            Assert.Equal("text reply", (await db.Appointments.AsNoTracking().SingleAsync(a => a.Id == id)).ConfirmedVia);
        Assert.IsType<ScheduleResult.Done>(await Booking.ChangeAsync(move, Staff.FrontDesk));

        await using var after = await _host.DbAsync();
        var moved = await after.Appointments.AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal((null, null), (moved.ConfirmedAtUtc, moved.ConfirmedVia));
        Assert.EndsWith("Confirmation cleared", (await after.AppointmentChanges.OrderBy(c => c.Id).LastAsync(c => c.AppointmentId == id)).Details);
    }

    [Fact]
    public async Task A_practitioner_cannot_book_the_server_refuses()
    {
        Assert.Equal(ScheduleMessages.NotAllowedToBook, (await Booking.BookAsync(Form("09:00"), Staff.Practitioner)).Refusal());
        Assert.Equal(ScheduleMessages.NotAllowedToBook, (await Booking.ChangeAsync(Form("09:00"), Staff.Practitioner)).Refusal());
        await using var db = await _host.DbAsync();
        Assert.Empty(db.Appointments);
    }

    [Fact]
    public async Task A_double_booking_is_refused_with_the_time_and_type_of_the_booking_in_the_way()
    {
        (await Booking.BookAsync(Form("09:00"), Staff.FrontDesk)).Booked();

        var refusal = (await Booking.BookAsync(Form("09:15"), Staff.Admin)).Refusal();

        Assert.Equal("Dr. Chen is already booked 09:00–09:30 (Follow-up). Choose another time, or another practitioner.", refusal);
        Assert.DoesNotContain("Emma", refusal);
    }

    [Fact]
    public async Task Back_to_back_bookings_do_not_clash_and_a_cancelled_one_frees_its_time()
    {
        var first = (await Booking.BookAsync(Form("09:00"), Staff.FrontDesk)).Booked();
        (await Booking.BookAsync(Form("09:30"), Staff.FrontDesk)).Booked();
        Assert.IsType<ScheduleResult.Done>(await _host.Scoped<AppointmentStatusService>().CancelAsync(first, 0, "Client called", Staff.FrontDesk));

        (await Booking.BookAsync(Form("09:00"), Staff.FrontDesk)).Booked();
    }

    [Fact]
    public async Task The_clinic_setting_allows_overlapping_bookings()
    {
        (await Booking.BookAsync(Form("09:00"), Staff.FrontDesk)).Booked();
        var settings = _host.Get<ClinicSettingsService>();
        var model = await settings.GetForEditAsync();
        model.AllowOverlappingAppointments = true;
        Assert.IsType<ClinicSettingsSaveResult.Saved>(await settings.UpdateAsync(model, Staff.Admin));

        (await Booking.BookAsync(Form("09:15"), Staff.FrontDesk)).Booked();
    }

    [Fact]
    public async Task Two_parallel_bookings_of_one_slot_make_one_booking_and_one_refusal()
    {
        using var barrier = new Barrier(2);
        Task<ScheduleResult> Book(string time) => Task.Run(async () =>
        {
            var booking = _host.Scoped<BookingService>();
            barrier.SignalAndWait(TimeSpan.FromSeconds(10));
            return await booking.BookAsync(Form(time), Staff.FrontDesk);
        });

        var results = await Task.WhenAll(Book("09:00"), Book("09:10"));

        Assert.Single(results.OfType<ScheduleResult.Done>());
        Assert.StartsWith("Dr. Chen is already booked", Assert.Single(results.OfType<ScheduleResult.Refused>()).Message);
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.Appointments.CountAsync());
    }

    [Fact]
    public async Task End_dated_and_merged_clients_cannot_be_booked()
    {
        var ended = await _host.AddClientAsync("Old", "Card", endDate: new DateOnly(2026, 3, 1));
        var merged = await _host.AddClientAsync("Merged", "Away");
        await using (var db = await _host.DbAsync())
        {
            (await db.Clients.SingleAsync(c => c.Id == merged.Id)).MergedIntoClientId = _emma.Id;
            await db.SaveChangesAsync();
        }

        Assert.Equal(ScheduleMessages.ClientEnded, (await Booking.BookAsync(ScheduleTestData.Form(ended.Id, _chen.Id, _followUp.Id, Friday, "09:00"), Staff.FrontDesk)).Refusal());
        Assert.Equal(ScheduleMessages.ClientMerged, (await Booking.BookAsync(ScheduleTestData.Form(merged.Id, _chen.Id, _followUp.Id, Friday, "09:00"), Staff.FrontDesk)).Refusal());
    }

    [Fact]
    public async Task Inactive_types_and_practitioners_cannot_be_booked()
    {
        var retired = await _host.AddTypeAsync("Old type", active: false);
        var gone = await _host.AddPractitionerAsync("Dr. Gone", active: false);

        Assert.Equal(ScheduleMessages.TypeInactive, (await Booking.BookAsync(ScheduleTestData.Form(_emma.Id, _chen.Id, retired.Id, Friday, "09:00"), Staff.FrontDesk)).Refusal());
        Assert.Equal(ScheduleMessages.PractitionerInactive, (await Booking.BookAsync(ScheduleTestData.Form(_emma.Id, gone.Id, _followUp.Id, Friday, "09:00"), Staff.FrontDesk)).Refusal());
    }

    [Theory]
    [InlineData(4, "The length must be 5 to 480 minutes.")]
    [InlineData(481, "The length must be 5 to 480 minutes.")]
    public async Task The_length_is_bounded(int minutes, string message) =>
        Assert.Equal(message, (await Booking.BookAsync(Form("09:00", minutes), Staff.FrontDesk)).Refusal());

    [Fact]
    public async Task Missing_fields_long_rooms_and_far_dates_are_refused_with_their_own_messages()
    {
        Assert.Equal(ScheduleMessages.ClientMissing, (await Booking.BookAsync(new BookingForm(), Staff.FrontDesk)).Refusal());
        var noTime = Form("09:00");
        noTime.StartTime = null;
        Assert.Equal(ScheduleMessages.TimeMissing, (await Booking.BookAsync(noTime, Staff.FrontDesk)).Refusal());
        var longRoom = Form("09:00");
        longRoom.Location = new string('r', ScheduleMessages.MaxLocationLength + 1);
        Assert.Equal(ScheduleMessages.RoomTooLong, (await Booking.BookAsync(longRoom, Staff.FrontDesk)).Refusal());
        Assert.Equal(ScheduleMessages.TooFarAhead, (await Booking.BookAsync(Form("09:00", day: new DateOnly(2062, 3, 6)), Staff.FrontDesk)).Refusal());
    }

    [Fact]
    public async Task A_time_skipped_by_the_spring_change_is_refused_with_its_message()
    {
        var refusal = (await Booking.BookAsync(Form("02:30", day: new DateOnly(2026, 3, 8)), Staff.FrontDesk)).Refusal();

        Assert.Contains("does not exist in the clinic's time zone", refusal);
    }

    [Fact]
    public async Task Nine_oclock_stays_nine_oclock_across_the_spring_change()
    {
        var monday = new DateOnly(2026, 3, 9); // clocks went forward on Sunday 8 March
        var id = (await Booking.BookAsync(Form("09:00", day: Friday), Staff.FrontDesk)).Booked();
        var after = (await Booking.BookAsync(Form("09:00", day: monday), Staff.FrontDesk)).Booked();

        var moved = Form("09:00", day: new DateOnly(2026, 3, 10));
        (moved.AppointmentId, moved.Version) = (id, 0);
        Assert.IsType<ScheduleResult.Done>(await Booking.ChangeAsync(moved, Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        Assert.Equal(new DateTime(2026, 3, 9, 13, 0, 0), (await db.Appointments.SingleAsync(a => a.Id == after)).StartUtc); // 09:00 EDT
        Assert.Equal(new DateTime(2026, 3, 10, 13, 0, 0), (await db.Appointments.SingleAsync(a => a.Id == id)).StartUtc);
        var week = await _host.Scoped<ScheduleQueries>().DaysAsync(_chen.Id, monday, 7, (await _host.Get<ClinicSettingsService>().GetAsync()).TimeZone);
        Assert.All(week, a => Assert.Equal("09:00", ScheduleFormat.Clock(a.StartUtc, TimeZoneInfo.FindSystemTimeZoneById("America/Toronto"))));
        Assert.Equal(2, week.Count);
        var history = (await db.AppointmentChanges.Where(c => c.AppointmentId == id).OrderBy(c => c.Id).ToListAsync()).Last();
        Assert.Equal((AppointmentChangeKind.Rescheduled, "Fri 6 Mar 09:00 → Tue 10 Mar 09:00"), (history.Kind, history.Details));
    }

    [Fact]
    public async Task A_reschedule_checks_clashes_without_clashing_with_itself()
    {
        var id = (await Booking.BookAsync(Form("09:00"), Staff.FrontDesk)).Booked();
        (await Booking.BookAsync(Form("10:00"), Staff.FrontDesk)).Booked();

        var longer = Form("09:00", 45);
        (longer.AppointmentId, longer.Version) = (id, 0);
        Assert.Equal("Moved to Fri 6 Mar 09:00 with Dr. Chen.", Assert.IsType<ScheduleResult.Done>(await Booking.ChangeAsync(longer, Staff.FrontDesk)).Message);

        var intoNext = Form("09:45", 30);
        (intoNext.AppointmentId, intoNext.Version) = (id, 1);
        Assert.Equal("Dr. Chen is already booked 10:00–10:30 (Follow-up). Choose another time, or another practitioner.",
            (await Booking.ChangeAsync(intoNext, Staff.FrontDesk)).Refusal());
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.AppointmentReschedule));
        Assert.Equal("30 → 45 min",
            (await db.AppointmentChanges.SingleAsync(c => c.AppointmentId == id && c.Kind == AppointmentChangeKind.Rescheduled)).Details);
    }

    [Fact]
    public async Task A_change_from_an_old_version_is_refused()
    {
        var id = (await Booking.BookAsync(Form("09:00"), Staff.FrontDesk)).Booked();
        var first = Form("11:00");
        (first.AppointmentId, first.Version) = (id, 0);
        Assert.IsType<ScheduleResult.Done>(await Booking.ChangeAsync(first, Staff.FrontDesk));

        var stale = Form("12:00");
        (stale.AppointmentId, stale.Version) = (id, 0);
        Assert.Equal(ScheduleMessages.ChangedMeanwhile, (await Booking.ChangeAsync(stale, Staff.Admin)).Refusal());
    }

    [Fact]
    public async Task Changing_only_the_room_is_an_edit_not_a_reschedule()
    {
        var id = (await Booking.BookAsync(Form("09:00"), Staff.FrontDesk)).Booked();
        var form = Form("09:00");
        (form.AppointmentId, form.Version, form.Location) = (id, 0, "Room 5");

        Assert.IsType<ScheduleResult.Done>(await Booking.ChangeAsync(form, Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        Assert.Equal("Appointment " + id + "; changed: room", (await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.AppointmentEdit)).Details);
        Assert.Equal(AppointmentChangeKind.Edited, (await db.AppointmentChanges.OrderBy(c => c.Id).LastAsync()).Kind);
    }
}
