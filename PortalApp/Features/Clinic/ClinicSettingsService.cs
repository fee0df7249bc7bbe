using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Clinic;

public sealed record ClinicView(string Name, string Address, string Phone, string TimeZoneId, string PublicBaseUrl)
{
    public TimeZoneInfo TimeZone { get; } = ResolveTimeZone(TimeZoneId);

    private static TimeZoneInfo ResolveTimeZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}

/// <summary>The clinic's settings, read often (every page shows the name) and changed rarely: cached.</summary>
public sealed class ClinicSettingsService(IDbContextFactory<PortalDbContext> dbFactory)
{
    private ClinicView? _cached;

    public async Task<ClinicView> GetAsync(CancellationToken ct = default)
    {
        if (_cached is { } cached)
            return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ClinicSettings.AsNoTracking().SingleAsync(s => s.Id == Data.ClinicSettings.SingletonId, ct);
        return _cached = new ClinicView(row.Name, row.Address, row.Phone, row.TimeZone, row.PublicBaseUrl);
    }

    public void Invalidate() => _cached = null;
}
