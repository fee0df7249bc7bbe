namespace PortalApp.Features.Clinic;

/// <summary>
/// Wall-clock times in the clinic's zone and the UTC instants they are stored as. A booking keeps its wall-clock time
/// across a daylight-saving change because each one is converted with the rules of its own day.
/// </summary>
public static class ClinicTime
{
    public abstract record Conversion
    {
        public sealed record Ok(DateTime Utc) : Conversion;

        /// <summary>The time falls in the hour skipped when clocks go forward.</summary>
        public sealed record Skipped(string Message) : Conversion;
    }

    public static Conversion ToUtc(DateTime wallClock, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
            return new Conversion.Skipped($"{local:HH:mm} on {local:ddd d MMM yyyy} does not exist in the clinic's time zone: the clocks go forward that night. Choose another time.");
        if (zone.IsAmbiguousTime(local))
        {
            // The hour that happens twice when clocks go back: the first one, still on daylight time, is what a person booking at that hour means.
            var daylight = zone.GetAmbiguousTimeOffsets(local).Max();
            return new Conversion.Ok(DateTime.SpecifyKind(local - daylight, DateTimeKind.Utc));
        }
        return new Conversion.Ok(TimeZoneInfo.ConvertTimeToUtc(local, zone));
    }

    public static DateTime ToWallClock(DateTime utc, TimeZoneInfo zone) => ClinicClock.ToClinicTime(utc, zone);

    /// <summary>The UTC instants that bound a clinic day, for range queries.</summary>
    public static (DateTime StartUtc, DateTime EndUtc) DayBounds(DateOnly day, TimeZoneInfo zone) =>
        (StartOfDayUtc(day, zone), StartOfDayUtc(day.AddDays(1), zone));

    private static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        // A few zones skip midnight itself; the day then starts at the first valid minute.
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(30);
        return ToUtc(local, zone) is Conversion.Ok ok ? ok.Utc : TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
