using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Portal;

public sealed record PortalAppointment(int Id, DateTime StartUtc, string Type, string PractitionerName, string Location);

public sealed record PortalHomeView(string FirstName, IReadOnlyList<PortalAppointment> Upcoming, IReadOnlyList<PortalAppointment> Past);

/// <summary>What a signed-in patient sees of their own visits. Always scoped by the account's client id.</summary>
public sealed class PortalAppointmentsService(IDbContextFactory<PortalDbContext> dbFactory, ClinicClock clock)
{
    public async Task<PortalHomeView> GetAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == clientId)
            .Select(c => new { c.FirstName, c.PreferredName }).SingleAsync(ct);
        var now = clock.UtcNow;
        var all = await db.Appointments.AsNoTracking()
            .Where(a => a.ClientId == clientId && a.Status != AppointmentStatus.Cancelled)
            .Select(a => new { a.EndUtc, View = new PortalAppointment(a.Id, a.StartUtc, a.AppointmentType.Name, a.Practitioner.DisplayName, a.Location) })
            .ToListAsync(ct);
        return new PortalHomeView(
            client.PreferredName ?? client.FirstName,
            all.Where(a => a.EndUtc >= now).Select(a => a.View).OrderBy(a => a.StartUtc).ToList(),
            all.Where(a => a.EndUtc < now).Select(a => a.View).OrderByDescending(a => a.StartUtc).ToList());
    }
}
