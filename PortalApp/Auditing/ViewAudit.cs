using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Auditing;

/// <summary>Records that a staff member opened a client's record (HIPAA 164.312(b)): who looked at whose record, and when.</summary>
public sealed class ViewAudit(AuditLog audit, ILogger<ViewAudit> logger)
{
    public Task RecordAsync(PortalDbContext db, StaffActor viewer, string action, int clientId, string? details, CancellationToken ct) =>
        RecordAsync(db, viewer, action, [clientId], details, ct);

    /// <summary>A list that shows several clients' data: one row per client, so each client's audit trail finds the look.</summary>
    public async Task RecordAsync(PortalDbContext db, StaffActor viewer, string action, IReadOnlyCollection<int> clientIds, string? details, CancellationToken ct)
    {
        foreach (var clientId in clientIds)
            audit.Add(db, viewer, action, clientId, AuditOutcome.Succeeded, details);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            // A full disk must not keep a clinician from a patient's chart: the record is shown, and the gap in the
            // audit log is written to the app's own log (ids only) for the admin to find.
            logger.LogError("Could not record {Action} of client {ClientId} by staff {StaffUserId} ({ErrorType})",
                action, string.Join(",", clientIds), viewer.UserId, ex.InnerException?.GetType().Name ?? ex.GetType().Name);
        }
    }
}
