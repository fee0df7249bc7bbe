using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Portal;

public sealed record PortalAppointment(int Id, DateTime StartUtc, string Type, string PractitionerName, string Location);

public sealed record PortalHomeView(string FirstName, IReadOnlyList<PortalAppointment> Upcoming);

/// <summary>What a signed-in patient sees of their own visits. Always scoped by the account's client id.</summary>
public sealed class PortalAppointmentsService(IDbContextFactory<PortalDbContext> dbFactory, ClinicClock clock)
{
    public async Task<PortalHomeView> GetAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == clientId)
            .Select(c => new { c.FirstName, c.PreferredName }).SingleAsync(ct);
        var now = clock.UtcNow;
        var upcoming = await db.Appointments.AsNoTracking()
            .Where(a => a.ClientId == clientId && a.EndUtc >= now && a.Status != AppointmentStatus.Cancelled)
            .OrderBy(a => a.StartUtc)
            .Select(a => new PortalAppointment(a.Id, a.StartUtc, a.Type, a.Practitioner.DisplayName, a.Location))
            .ToListAsync(ct);
        return new PortalHomeView(client.PreferredName ?? client.FirstName, upcoming);
    }
}
