using PortalApp.Features.IntakeForms.Sending;

namespace PortalApp.Tests.Features.IntakeForms.Sending;

/// <summary>Toronto: clocks go forward at 02:00 on Sunday 8 March 2026 (UTC-5 before, UTC-4 after).</summary>
public sealed class FormReminderScheduleTests
{
    private static readonly TimeZoneInfo Toronto = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");

    private static DateTime Utc(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void Two_days_before_keeps_the_clinic_wall_clock_time_across_the_change_to_daylight_time()
    {
        // Monday 9 March, 10:00 daylight time (14:00 UTC): two days before is Saturday 7 March, 10:00 standard time
        // (15:00 UTC), 47 hours earlier, not 48.
        var reminders = FormReminderSchedule.For(Utc(9, 14), Toronto);

        Assert.Equal(Utc(7, 15), reminders[0]);
    }

    [Fact]
    public void The_morning_before_is_eight_oclock_clinic_time_on_the_previous_day()
    {
        // Thursday 12 March, 07:00 daylight time (11:00 UTC): the morning before is Wednesday 11 March, 08:00 in
        // Toronto (12:00 UTC), not 08:00 UTC and not 24 hours before.
        var reminders = FormReminderSchedule.For(Utc(12, 11), Toronto);

        Assert.Equal([Utc(10, 11), Utc(11, 12)], reminders);
    }

    [Fact]
    public void A_reminder_time_the_clocks_skip_moves_to_just_after_the_jump()
    {
        // Tuesday 10 March, 02:30 daylight time (06:30 UTC): 02:30 on Sunday 8 March never happens; 03:00 daylight time does.
        var reminders = FormReminderSchedule.For(Utc(10, 6, 30), Toronto);

        Assert.Equal(Utc(8, 7), reminders[0]);
    }

    [Fact]
    public void The_next_reminder_is_the_first_one_after_the_given_time_and_none_without_an_appointment()
    {
        var appointment = Utc(9, 14);

        Assert.Equal(Utc(7, 15), FormReminderSchedule.NextAfter(appointment, Utc(4, 15), Toronto));
        Assert.Equal(Utc(8, 12), FormReminderSchedule.NextAfter(appointment, Utc(7, 15), Toronto));
        Assert.Null(FormReminderSchedule.NextAfter(appointment, Utc(8, 12), Toronto));
        Assert.Null(FormReminderSchedule.NextAfter(null, Utc(4, 15), Toronto));
    }
}
