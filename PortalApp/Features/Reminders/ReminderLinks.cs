using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Security;

namespace PortalApp.Features.Reminders;

/// <summary>The personal Confirm / Cancel links reminders carry (see <see cref="ReminderLink"/>).</summary>
public static class ReminderLinks
{
    /// <summary>Where a link opens: /appointment/{token}.</summary>
    public const string PathPrefix = Clinic.ClinicView.AppointmentLinkPath;

    /// <summary>
    /// A new link for this appointment, added to the caller's DbContext (committed with the reminder that carries it).
    /// Returns the token: it goes into the message as its secret and is never stored.
    /// </summary>
    public static string Issue(PortalDbContext db, Appointment appointment, DateTime nowUtc)
    {
        var token = SecretTokens.NewToken();
        db.ReminderLinks.Add(new ReminderLink
        {
            AppointmentId = appointment.Id,
            ClientId = appointment.ClientId,
            TokenHash = SecretTokens.Hash(token),
            CreatedAtUtc = nowUtc,
            ExpiresAtUtc = appointment.StartUtc,
        });
        return token;
    }

    /// <summary>The link a token opens, if it is one and has not expired; null otherwise (one message for every failure).</summary>
    public static async Task<ReminderLink?> FindUsableAsync(PortalDbContext db, string? token, DateTime nowUtc, CancellationToken ct)
    {
        if (!SecretTokens.LooksLikeToken(token))
            return null;
        var hash = SecretTokens.Hash(token!);
        var link = await db.ReminderLinks.SingleOrDefaultAsync(l => l.TokenHash == hash, ct);
        return link is not null && link.ExpiresAtUtc > nowUtc ? link : null;
    }
}
