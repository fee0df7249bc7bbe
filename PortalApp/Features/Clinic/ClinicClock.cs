namespace PortalApp.Features.Clinic;

/// <summary>"Today" and local times as the clinic sees them, whatever the server's own time zone.</summary>
public sealed class ClinicClock(TimeProvider time, ClinicSettingsService clinic)
{
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    public async Task<DateOnly> TodayAsync(CancellationToken ct = default)
    {
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(UtcNow, zone));
    }

    public static DateTime ToClinicTime(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
}
