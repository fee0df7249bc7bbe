using PortalApp.Auditing;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Audit;

public sealed record AuditFilter(string? Action = null, int? ClientId = null, string? StaffUserId = null, DateTime? FromUtc = null, DateTime? ToUtc = null);

public sealed record AuditEventView(long Id, DateTime AtUtc, string? StaffDisplayName, string Action, int? ClientId, AuditOutcome Outcome, string? Details);

public sealed record AuditExportRow(long Id, DateTime AtUtc, string? StaffUserId, string? StaffDisplayName, string Action, int? ClientId, AuditOutcome Outcome, string? Details);

/// <param name="Problem">Why the filter was not run, for the admin; null when it was.</param>
public sealed record AuditEventPage(IReadOnlyList<AuditEventView> Items, int TotalCount, string? Problem = null);

public sealed class AuditQueryService(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxActionLength = 64;
    public const int MaxStaffUserIdLength = 450;

    public async Task<AuditEventPage> SearchAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, 200);
        // The columns' own sizes: a longer filter can match nothing, so it is not sent to the database.
        if (filter.Action is { Length: > MaxActionLength } || filter.StaffUserId is { Length: > MaxStaffUserIdLength })
            return new AuditEventPage([], 0, $"An action name has at most {MaxActionLength} characters, and a staff id at most {MaxStaffUserIdLength}.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Apply(db.AuditEvents.AsNoTracking(), filter);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(a => a.AtUtc).ThenByDescending(a => a.Id)
            .Skip(Math.Max(page, 0) * pageSize).Take(pageSize)
            .Select(a => new AuditEventView(a.Id, a.AtUtc, a.StaffDisplayName, a.Action, a.ClientId, a.Outcome, a.Details))
            .ToListAsync(ct);
        return new AuditEventPage(items, total);
    }

    /// <summary>Every matching event, oldest first, read as it is sent: an export never holds the whole log in memory.</summary>
    public async IAsyncEnumerable<AuditExportRow> StreamAsync(AuditFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = Apply(db.AuditEvents.AsNoTracking(), filter).OrderBy(a => a.Id)
            .Select(a => new AuditExportRow(a.Id, a.AtUtc, a.StaffUserId, a.StaffDisplayName, a.Action, a.ClientId, a.Outcome, a.Details))
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
            yield return row;
    }

    private static IQueryable<AuditEvent> Apply(IQueryable<AuditEvent> query, AuditFilter filter)
    {
        if (!string.IsNullOrEmpty(filter.Action))
            query = query.Where(a => a.Action == filter.Action);
        if (filter.ClientId is { } clientId)
            query = query.Where(a => a.ClientId == clientId);
        if (!string.IsNullOrEmpty(filter.StaffUserId))
            query = query.Where(a => a.StaffUserId == filter.StaffUserId);
        if (filter.FromUtc is { } from)
            query = query.Where(a => a.AtUtc >= from);
        if (filter.ToUtc is { } to)
            query = query.Where(a => a.AtUtc < to);
        return query;
    }
}
