using System.Globalization;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Schedule;

/// <summary>Times as the Schedule and a booking's history write them: the clinic's wall clock, 24-hour, e.g. "Tue 3 Mar 09:00".</summary>
public static class ScheduleFormat
{
    public static string Slot(DateTime utc, TimeZoneInfo zone) =>
        ClinicTime.ToWallClock(utc, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);

    public static string Clock(DateTime utc, TimeZoneInfo zone) =>
        ClinicTime.ToWallClock(utc, zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);
}
