using Microsoft.AspNetCore.DataProtection;
using PortalApp.Data;

namespace PortalApp.Email;

/// <summary>
/// Keeps a link's token out of the database in readable form: encrypted while the email (or text) waits, written into the
/// message only as it is sent, erased after.
/// </summary>
public sealed class OutboxSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("PortalApp.Outbox.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>
    /// The email's bodies and List-Unsubscribe address (null when it has none) as sent, each with the token put in: one
    /// decryption for all three, on the outbox's path between two sends.
    /// </summary>
    public (string Html, string Text, string? ListUnsubscribeUrl) Reveal(OutboxEmail row)
    {
        if (row.ProtectedSecret is null)
            return (row.HtmlBody, row.TextBody, row.ListUnsubscribeUrl);
        var secret = _protector.Unprotect(row.ProtectedSecret);
        return (Put(row.HtmlBody, secret), Put(row.TextBody, secret), row.ListUnsubscribeUrl is { } url ? Put(url, secret) : null);
    }

    private static string Put(string value, string secret) => value.Replace(OutboxEmail.SecretMarker, secret, StringComparison.Ordinal);

    /// <summary>A text message's body as sent, its link put in (texts and calls wait in <see cref="OutboundMessage"/> rows).</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The key that protected it is gone.</exception>
    public string Reveal(OutboundMessage row) =>
        row.ProtectedSecret is null
            ? row.Body
            : Put(row.Body, _protector.Unprotect(row.ProtectedSecret));
}
