using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Security;

namespace PortalApp.Components.Account;

/// <param name="Ended">Why it ended, when it has.</param>
/// <param name="EndsAtUtc">When it will end if nothing happens: idle limit or 12-hour limit, whichever comes first.</param>
/// <param name="ByTimeLimit">The 12-hour limit comes first: staying active does not move it.</param>
public sealed record SessionCountdown(SessionEndReason? Ended, DateTime EndsAtUtc, bool ByTimeLimit);

/// <summary>What an open staff tab needs to warn before its session ends, and to keep it going while someone works.</summary>
public sealed class StaffSessionClock(UserSessions sessions, ClinicSettingsService clinic)
{
    public static readonly TimeSpan WarnBefore = TimeSpan.FromMinutes(2);

    public async Task<SessionCountdown> CountdownAsync(string? token, CancellationToken ct = default)
    {
        var session = await sessions.FindAsync(token, ct);
        if (session is null)
            return new SessionCountdown(SessionEndReason.SignedOut, DateTime.MinValue, false);
        var idleEnds = session.LastSeenAtUtc + (await clinic.GetAsync(ct)).StaffIdleTimeout;
        var limit = session.CreatedAtUtc + UserSessions.AbsoluteLifetime;
        return new SessionCountdown(session.EndReason, idleEnds < limit ? idleEnds : limit, limit <= idleEnds);
    }

    /// <summary>Someone is working in an open tab (or chose "Stay signed in").</summary>
    public async Task ActiveAsync(string? token, bool now, CancellationToken ct = default)
    {
        if (await sessions.FindAsync(token, ct) is { Ended: false } session)
            await sessions.TouchAsync(session, force: now, ct);
    }
}
