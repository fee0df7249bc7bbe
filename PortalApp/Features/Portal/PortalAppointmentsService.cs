using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Portal;

public sealed record PortalAppointment(int Id, DateTime StartUtc, string Type, string PractitionerName, string Location, bool IsVideo, AppointmentStatus Status)
{
    public string Place => IsVideo ? "Video visit" : Location;
    public bool IsCancelled => Status == AppointmentStatus.Cancelled;
}

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
            .Where(a => a.ClientId == clientId)
            .Select(a => new { a.EndUtc, View = new PortalAppointment(a.Id, a.StartUtc, a.AppointmentType.Name, a.Practitioner.DisplayName, a.Location, a.IsVideo, a.Status) })
            .ToListAsync(ct);
        // An upcoming visit the clinic cancelled stays on the list, marked cancelled, so the patient is not left wondering
        // where it went; a cancelled visit in the past is of no use to them.
        return new PortalHomeView(
            client.PreferredName ?? client.FirstName,
            all.Where(a => a.EndUtc >= now).Select(a => a.View).OrderBy(a => a.StartUtc).ToList(),
            all.Where(a => a.EndUtc < now && !a.View.IsCancelled).Select(a => a.View).OrderByDescending(a => a.StartUtc).ToList());
    }
}
