using PortalApp.Features.Channels;
using PortalApp.Features.Reminders;

namespace PortalApp.Tests.Features.Reminders;

/// <summary>Quiet hours in Toronto time: 21:00–08:00 unless a test says otherwise.</summary>
public sealed class QuietHoursTests
{
    private static readonly TimeZoneInfo Toronto = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");
    private static readonly QuietHours Night = new(21 * 60, 8 * 60);

    private static DateTime Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Theory]
    // Thursday 5 March 2026 (EST, UTC-5).
    [InlineData(14, 0, 14, 0)] // 09:00: outside, goes then
    [InlineData(1, 59, 1, 59)] // 20:59 the evening before (4 March): just before they start
    public void A_time_outside_the_quiet_hours_stays(int hour, int minute, int expectedHour, int expectedMinute) =>
        Assert.Equal(Utc(2026, 3, 5, expectedHour, expectedMinute), Night.SendTime(Utc(2026, 3, 5, hour, minute), Toronto));

    [Fact]
    public void A_time_in_the_evening_part_of_a_window_that_crosses_midnight_waits_for_the_next_morning()
    {
        // 21:00 on Thursday 5 March (02:00 UTC on the 6th) → 08:00 on Friday 6 March (13:00 UTC).
        Assert.Equal(Utc(2026, 3, 6, 13), Night.SendTime(Utc(2026, 3, 6, 2), Toronto));
        Assert.Equal(Utc(2026, 3, 6, 13), Night.SendTime(Utc(2026, 3, 6, 4, 59), Toronto)); // 23:59
    }

    [Fact]
    public void A_time_in_the_morning_part_waits_until_the_end_that_same_morning()
    {
        Assert.Equal(Utc(2026, 3, 6, 13), Night.SendTime(Utc(2026, 3, 6, 5), Toronto)); // 00:00
        Assert.Equal(Utc(2026, 3, 6, 13), Night.SendTime(Utc(2026, 3, 6, 12, 59), Toronto)); // 07:59
        Assert.Equal(Utc(2026, 3, 6, 13), Night.SendTime(Utc(2026, 3, 6, 13), Toronto)); // 08:00 is no longer quiet
    }

    [Fact]
    public void A_window_within_one_day_moves_only_times_inside_it()
    {
        var lunch = new QuietHours(12 * 60, 13 * 60);

        Assert.Equal(Utc(2026, 3, 5, 18), lunch.SendTime(Utc(2026, 3, 5, 17, 30), Toronto)); // 12:30 → 13:00
        Assert.Equal(Utc(2026, 3, 5, 16, 59), lunch.SendTime(Utc(2026, 3, 5, 16, 59), Toronto)); // 11:59 stays
        Assert.Equal(Utc(2026, 3, 6, 3), lunch.SendTime(Utc(2026, 3, 6, 3), Toronto)); // 22:00 stays
    }

    [Fact]
    public void The_same_start_and_end_means_no_quiet_hours()
    {
        var none = new QuietHours(8 * 60, 8 * 60);

        Assert.True(none.IsNone);
        Assert.Equal(Utc(2026, 3, 6, 4), none.SendTime(Utc(2026, 3, 6, 4), Toronto)); // 23:00 stays
    }

    [Fact]
    public void On_the_spring_forward_day_an_8_am_end_is_8_am_daylight_time()
    {
        // 22:00 EST on Saturday 7 March; the clocks go forward at 02:00 on Sunday 8 March: 08:00 EDT is 12:00 UTC, not 13:00.
        Assert.Equal(Utc(2026, 3, 8, 12), Night.SendTime(Utc(2026, 3, 8, 3), Toronto));
        // 01:30 EST that night, before the change, and 03:30 EDT after it.
        Assert.Equal(Utc(2026, 3, 8, 12), Night.SendTime(Utc(2026, 3, 8, 6, 30), Toronto));
        Assert.Equal(Utc(2026, 3, 8, 12), Night.SendTime(Utc(2026, 3, 8, 7, 30), Toronto));
    }

    [Fact]
    public void On_the_fall_back_day_an_8_am_end_is_8_am_standard_time()
    {
        // 23:00 EDT on Saturday 31 October; the clocks go back at 02:00 on Sunday 1 November: 08:00 EST is 13:00 UTC, not 12:00.
        Assert.Equal(Utc(2026, 11, 1, 13), Night.SendTime(Utc(2026, 11, 1, 3), Toronto));
        // 01:30 in the hour that happens twice, on either pass.
        Assert.Equal(Utc(2026, 11, 1, 13), Night.SendTime(Utc(2026, 11, 1, 5, 30), Toronto));
        Assert.Equal(Utc(2026, 11, 1, 13), Night.SendTime(Utc(2026, 11, 1, 6, 30), Toronto));
    }

    [Fact]
    public void An_end_in_the_hour_the_clocks_skip_comes_when_that_hour_is_over()
    {
        var untilHalfPastTwo = new QuietHours(23 * 60, 2 * 60 + 30);

        // 01:00 EST on 8 March: 02:30 does not exist that night; 03:00 EDT (07:00 UTC) is the first moment after it.
        Assert.Equal(Utc(2026, 3, 8, 7), untilHalfPastTwo.SendTime(Utc(2026, 3, 8, 6), Toronto));
    }

    [Fact]
    public void An_end_in_the_hour_that_happens_twice_is_never_before_the_time_it_moves()
    {
        var untilHalfPastOne = new QuietHours(1 * 60, 1 * 60 + 30);

        // 01:10 EDT (05:10 UTC) waits until 01:30 EDT; 01:10 EST, an hour later, until 01:30 EST.
        Assert.Equal(Utc(2026, 11, 1, 5, 30), untilHalfPastOne.SendTime(Utc(2026, 11, 1, 5, 10), Toronto));
        Assert.Equal(Utc(2026, 11, 1, 6, 30), untilHalfPastOne.SendTime(Utc(2026, 11, 1, 6, 10), Toronto));
    }
}
