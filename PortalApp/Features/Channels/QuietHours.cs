using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Channels;

/// <summary>
/// The clinic's quiet hours for texts and calls, reminders and bulk sends alike (<see cref="ReminderSettings.QuietStartMinute"/>, <see cref="ReminderSettings.QuietEndMinute"/>),
/// read on the clinic's wall clock: a reminder due inside [start, end) waits until the end. The window may cross
/// midnight (21:00–08:00); start = end means there are none. The end is found on the calendar of the day it falls on
/// and converted with that day's rules, so an 08:00 end is 08:00 local on the days the clocks change too (adding the
/// minutes left to the due time would be an hour off on those days).
/// </summary>
public sealed record QuietHours(int StartMinute, int EndMinute)
{
    public static QuietHours From(ReminderSettings settings) => new(settings.QuietStartMinute, settings.QuietEndMinute);

    public bool IsNone => StartMinute == EndMinute;

    public bool Contains(TimeOnly clock)
    {
        var minute = clock.Hour * 60 + clock.Minute;
        if (IsNone)
            return false;
        return StartMinute < EndMinute
            ? minute >= StartMinute && minute < EndMinute
            : minute >= StartMinute || minute < EndMinute;
    }

    /// <summary>When a reminder due at <paramref name="dueUtc"/> may go: then, or at the end of the quiet hours it falls in.</summary>
    public DateTime SendTime(DateTime dueUtc, TimeZoneInfo zone)
    {
        var local = ClinicTime.ToWallClock(dueUtc, zone);
        if (!Contains(TimeOnly.FromDateTime(local)))
            return dueUtc;
        var endDay = DateOnly.FromDateTime(local);
        if (StartMinute > EndMinute && local.Hour * 60 + local.Minute >= StartMinute)
            endDay = endDay.AddDays(1); // due in the evening part of a window that ends the next morning
        var end = endDay.ToDateTime(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(EndMinute)));
        // An end in the hour the clocks skip comes when that hour would have ended.
        while (ClinicTime.ToUtc(end, zone) is ClinicTime.Conversion.Skipped)
            end = end.AddMinutes(15);
        var utc = ((ClinicTime.Conversion.Ok)ClinicTime.ToUtc(end, zone)).Utc;
        // An end in the hour that happens twice, when the reminder fell in its second pass: the second one.
        if (utc < dueUtc && zone.IsAmbiguousTime(end))
            utc = DateTime.SpecifyKind(end - zone.GetAmbiguousTimeOffsets(end).Min(), DateTimeKind.Utc);
        return utc;
    }

    public static string Format(int minuteOfDay) => TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(minuteOfDay)).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
