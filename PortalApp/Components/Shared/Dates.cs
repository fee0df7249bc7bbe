using System.Globalization;
using PortalApp.Features.Clinic;

namespace PortalApp.Components.Shared;

/// <summary>Dates as staff and patients read them: "7 Mar 1984" cannot be misread the way 03/07/1984 can.</summary>
public static class Dates
{
    public static string Format(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string FormatClinicTime(DateTime utc, TimeZoneInfo zone) =>
        ClinicClock.ToClinicTime(utc, zone).ToString("ddd d MMM yyyy, h:mm tt", CultureInfo.InvariantCulture);

    public static string FormatClinicDate(DateTime utc, TimeZoneInfo zone) =>
        ClinicClock.ToClinicTime(utc, zone).ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string FormatClinicClock(DateTime utc, TimeZoneInfo zone) =>
        ClinicClock.ToClinicTime(utc, zone).ToString("h:mm tt", CultureInfo.InvariantCulture);

    /// <summary>The last day a link works, in full: "Wednesday 11 March 2026".</summary>
    public static string FormatDay(DateTime utc, TimeZoneInfo zone) =>
        ClinicClock.ToClinicTime(utc, zone).ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>An appointment in a message: "Tuesday 10 March 2026 at 9:30 AM".</summary>
    public static string FormatDayAndTime(DateTime utc, TimeZoneInfo zone) =>
        ClinicClock.ToClinicTime(utc, zone).ToString("dddd d MMMM yyyy 'at' h:mm tt", CultureInfo.InvariantCulture);

    public static int AgeOn(DateOnly dateOfBirth, DateOnly today)
    {
        var age = today.Year - dateOfBirth.Year;
        return dateOfBirth > today.AddYears(-age) ? age - 1 : age;
    }
}
