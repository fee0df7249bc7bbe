using PortalApp.Data;

namespace PortalApp.Auditing;

/// <summary>Adds an audit event to the caller's DbContext, so it commits (or not) with the action it records.</summary>
public sealed class AuditLog(TimeProvider time)
{
    public AuditEvent Add(PortalDbContext db, StaffActor? actor, string action, int? clientId, AuditOutcome outcome, string? details = null)
    {
        // A programming error, caught by the tests that drive each writer: a row outside the vocabulary could not be
        // found with the Audit page's filter.
        if (!AuditActions.IsKnown(action))
            throw new ArgumentException($"'{action}' is not in AuditActions: add it there, with its friendly name.", nameof(action));
        var entry = new AuditEvent
        {
            AtUtc = time.GetUtcNow().UtcDateTime,
            StaffUserId = actor?.UserId,
            StaffDisplayName = actor?.DisplayName,
            Action = action,
            ClientId = clientId,
            Outcome = outcome,
            Details = details is { Length: > 500 } ? details[..500] : details,
        };
        db.AuditEvents.Add(entry);
        return entry;
    }
}
