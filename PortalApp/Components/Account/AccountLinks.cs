using System.Net;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Clinic;
using PortalApp.Security;

namespace PortalApp.Components.Account;

/// <summary>
/// One-time links to a staff member's own inbox: the invite that sets a first password (72 hours), a password reset and
/// an unlock link (1 hour each). A new link of a purpose replaces the one before; only the token's hash is stored.
/// </summary>
public sealed class AccountLinks(EmailOutbox outbox, EmailComposer composer, ClinicSettingsService clinic, TimeProvider time)
{
    public static TimeSpan Lifetime(AccountTokenPurpose purpose) =>
        purpose == AccountTokenPurpose.StaffInvite ? TimeSpan.FromHours(72) : TimeSpan.FromHours(1);

    /// <summary>Adds the token and its email to <paramref name="db"/>; they commit with the caller's save.</summary>
    public async Task IssueAsync(PortalDbContext db, PortalUser user, AccountTokenPurpose purpose, string requestedBy, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var older in await db.AccountTokens.Where(t => t.UserId == user.Id && t.Purpose == purpose && t.Status == AccountTokenStatus.Pending).ToListAsync(ct))
        {
            older.Status = AccountTokenStatus.Replaced;
            older.EndedAtUtc = now;
        }
        var token = SecretTokens.NewToken();
        db.AccountTokens.Add(new AccountToken
        {
            UserId = user.Id, Purpose = purpose, TokenHash = SecretTokens.Hash(token), Status = AccountTokenStatus.Pending,
            CreatedAtUtc = now, ExpiresAtUtc = now + Lifetime(purpose), CreatedByName = requestedBy,
        });
        var settings = await clinic.GetAsync(ct);
        var (subject, lead, button, after) = Words(purpose, settings.Name, requestedBy);
        var link = settings.StaffAccountLink(purpose, OutboxEmail.SecretMarker);
        var greeting = user.DisplayName.Split(' ', 2)[0];
        var content = await composer.ComposeAsync(settings, subject,
            $"<p>Hello {WebUtility.HtmlEncode(greeting)},</p><p>{WebUtility.HtmlEncode(lead)}</p><p><a href=\"{WebUtility.HtmlEncode(link)}\"><strong>{WebUtility.HtmlEncode(button)}</strong></a></p><p>{WebUtility.HtmlEncode(after)}</p>",
            $"Hello {greeting},\n\n{lead}\n\n{button}: {link}\n\n{after}");
        outbox.Enqueue(db, new OutgoingEmail(user.Email!, user.DisplayName, content.Subject, content.Html, content.Text, Kind(purpose), Secret: token));
    }

    public void WakeOutbox() => outbox.WakeDispatcher();

    /// <summary>The pending, unexpired token behind a link, tracked so the caller can mark it used in its own save.</summary>
    public async Task<AccountToken?> FindUsableAsync(PortalDbContext db, string? token, AccountTokenPurpose[] purposes, CancellationToken ct = default)
    {
        if (!SecretTokens.LooksLikeToken(token))
            return null;
        var hash = SecretTokens.Hash(token!);
        var row = await db.AccountTokens.SingleOrDefaultAsync(t => t.TokenHash == hash, ct);
        return row is not null && purposes.Contains(row.Purpose) && row.IsUsableAt(time.GetUtcNow().UtcDateTime) ? row : null;
    }

    private static string Kind(AccountTokenPurpose purpose) => purpose switch
    {
        AccountTokenPurpose.StaffInvite => "staff-invite",
        AccountTokenPurpose.Unlock => "staff-unlock",
        _ => "staff-password-reset",
    };

    private static (string Subject, string Lead, string Button, string After) Words(AccountTokenPurpose purpose, string clinic, string requestedBy) => purpose switch
    {
        AccountTokenPurpose.StaffInvite => (
            $"Your PortalApp staff account at {clinic}",
            $"{requestedBy} has given you a staff account on {clinic}'s patient portal. Choose your password to start.",
            "Choose your password",
            "The link works once, for 72 hours. If you did not expect this email, you can ignore it."),
        AccountTokenPurpose.Unlock => (
            $"Your PortalApp staff account at {clinic} was locked",
            "Your staff account was locked after several wrong passwords. If that was you, unlock it for this browser with the link below.",
            "Unlock my account",
            "The link works once, for one hour. If it was not you, someone may be guessing your password: tell your clinic's PortalApp admin."),
        _ => (
            $"Choose a new PortalApp password for {clinic}",
            $"{requestedBy} sent you a link to choose a new password for your staff account.",
            "Choose a new password",
            "The link works once, for one hour. Your current password works until you choose a new one."),
    };
}
