using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Security;

namespace PortalApp.Features.Bulk;

/// <summary>
/// The unsubscribe link each promotional message carries: 256 random bits, only the SHA-256 kept on the recipient's row.
/// CASL wants it to work for at least 60 days after sending; it works for <see cref="ValidFor"/>.
/// </summary>
public static class UnsubscribeLinks
{
    public static readonly TimeSpan ValidFor = TimeSpan.FromDays(90);

    /// <summary>Gives the recipient a new link; returns its token, which goes into the message as its secret and is never stored.</summary>
    public static string Issue(BulkRecipient recipient, DateTime nowUtc)
    {
        var token = SecretTokens.NewToken();
        recipient.UnsubscribeTokenHash = SecretTokens.Hash(token);
        recipient.UnsubscribeExpiresAtUtc = nowUtc + ValidFor;
        return token;
    }

    /// <summary>The recipient a token belongs to, if it is one and has not expired; null otherwise (one answer for every failure).</summary>
    public static async Task<BulkRecipient?> FindUsableAsync(PortalDbContext db, string? token, DateTime nowUtc, CancellationToken ct)
    {
        if (!SecretTokens.LooksLikeToken(token))
            return null;
        var hash = SecretTokens.Hash(token!);
        var recipient = await db.BulkRecipients.SingleOrDefaultAsync(r => r.UnsubscribeTokenHash == hash, ct);
        return recipient is { UnsubscribeExpiresAtUtc: { } expires } && expires > nowUtc ? recipient : null;
    }
}
