using PortalApp.Features.Clinic;

namespace PortalApp.Features.IntakeForms.Sending;

/// <summary>
/// When an unfinished form linked to an appointment reminds the patient: two days before the appointment (the same
/// clinic wall-clock time, so 47 or 49 hours across a daylight-saving change), and at 08:00 clinic time on the day
/// before. A form with no appointment gets no reminder. The one home of this rule: sending sets the first time on each
/// assignment, and the reminder dispatcher asks again for the next one after each reminder it sends.
/// </summary>
public static class FormReminderSchedule
{
    public const int DaysBefore = 2;
    public static readonly TimeOnly MorningBefore = new(8, 0);

    /// <summary>Both reminder times for an appointment, earliest first (they may be in the past).</summary>
    public static IReadOnlyList<DateTime> For(DateTime appointmentStartUtc, TimeZoneInfo zone)
    {
        var start = ClinicClock.ToClinicTime(appointmentStartUtc, zone);
        var twoDaysBefore = ToUtc(start.AddDays(-DaysBefore), zone);
        var morningBefore = ToUtc(DateOnly.FromDateTime(start).AddDays(-1).ToDateTime(MorningBefore), zone);
        return twoDaysBefore <= morningBefore ? [twoDaysBefore, morningBefore] : [morningBefore, twoDaysBefore];
    }

    /// <summary>The first reminder strictly after <paramref name="afterUtc"/> (sending, or the reminder just sent), or null: no appointment, or none left.</summary>
    public static DateTime? NextAfter(DateTime? appointmentStartUtc, DateTime afterUtc, TimeZoneInfo zone) =>
        appointmentStartUtc is { } start
            ? For(start, zone).Where(t => t > afterUtc && t < start).Cast<DateTime?>().FirstOrDefault()
            : null;

    // A wall-clock time the clocks skip (02:30 on the night they go forward) moves to the first half hour after the jump (03:00);
    // one that happens twice is the first (ClinicTime's rule for bookings).
    private static DateTime ToUtc(DateTime wallClock, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        var shift = TimeSpan.Zero;
        while (zone.IsInvalidTime(local + shift))
            shift += TimeSpan.FromMinutes(30);
        return ClinicTime.ToUtc(local + shift, zone) is ClinicTime.Conversion.Ok ok
            ? ok.Utc
            : TimeZoneInfo.ConvertTimeToUtc(local + shift, zone);
    }
}
