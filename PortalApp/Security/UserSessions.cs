using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Security;

/// <summary>What the server knows of a session: enough to decide whether it still stands.</summary>
public sealed record SessionView(long Id, string UserId, SessionKind Kind, DateTime CreatedAtUtc, DateTime LastSeenAtUtc, SessionEndReason? EndReason)
{
    public bool Ended => EndReason is not null;
}

/// <summary>
/// Server-side sessions behind the sign-in cookies (staff and patients). The cookie carries a random token; the
/// database holds its hash, when it was last used and whether it ended, so every instance agrees at once.
/// </summary>
public sealed class UserSessions(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public const string Claim = "portal:session";

    /// <summary>Every session ends this long after sign-in, however active (NIST SP 800-63B reauthentication).</summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);

    /// <summary>A page request or a keystroke moves "last seen" at most this often: one write a minute, not one a request.</summary>
    private static readonly TimeSpan TouchGranularity = TimeSpan.FromSeconds(30);

    public async Task<string> StartAsync(string userId, SessionKind kind, CancellationToken ct = default)
    {
        var token = SecretTokens.NewToken();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.UserSessions.Add(new UserSession { TokenHash = SecretTokens.Hash(token), UserId = userId, Kind = kind, CreatedAtUtc = now, LastSeenAtUtc = now });
        await db.SaveChangesAsync(ct);
        return token;
    }

    public async Task<SessionView?> FindAsync(string? token, CancellationToken ct = default)
    {
        if (!SecretTokens.LooksLikeToken(token))
            return null;
        var hash = SecretTokens.Hash(token!);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.UserSessions.AsNoTracking().Where(s => s.TokenHash == hash)
            .Select(s => new SessionView(s.Id, s.UserId, s.Kind, s.CreatedAtUtc, s.LastSeenAtUtc, s.EndReason))
            .SingleOrDefaultAsync(ct);
    }

    /// <summary>Why a session that has not been ended must end now, judged by its idle and absolute limits; null when it stands.</summary>
    public SessionEndReason? Expiry(SessionView session, TimeSpan idleTimeout)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (now - session.CreatedAtUtc >= AbsoluteLifetime)
            return SessionEndReason.TimeLimit;
        return now - session.LastSeenAtUtc >= idleTimeout ? SessionEndReason.IdleTimeout : null;
    }

    /// <summary>The person is still here: a page, or a keystroke in an open tab.</summary>
    /// <param name="force">"Stay signed in": written now, whatever the granularity.</param>
    public async Task TouchAsync(SessionView session, bool force = false, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!force && now - session.LastSeenAtUtc < TouchGranularity)
            return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.UserSessions.Where(s => s.Id == session.Id && s.EndedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAtUtc, now), ct);
    }

    public async Task EndAsync(long sessionId, SessionEndReason reason, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.UserSessions.Where(s => s.Id == sessionId && s.EndedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAtUtc, now).SetProperty(x => x.EndReason, reason), ct);
    }

    public async Task EndAsync(string? token, SessionEndReason reason, CancellationToken ct = default)
    {
        if (await FindAsync(token, ct) is { } session)
            await EndAsync(session.Id, reason, ct);
    }

    /// <summary>Every open session of an account, e.g. when an admin disables it.</summary>
    public async Task EndAllAsync(string userId, SessionEndReason reason, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.UserSessions.Where(s => s.UserId == userId && s.EndedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAtUtc, now).SetProperty(x => x.EndReason, reason), ct);
    }
}
