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

    public (string Html, string Text) Reveal(OutboxEmail row)
    {
        if (row.ProtectedSecret is null)
            return (row.HtmlBody, row.TextBody);
        var secret = _protector.Unprotect(row.ProtectedSecret);
        return (row.HtmlBody.Replace(OutboxEmail.SecretMarker, secret, StringComparison.Ordinal),
                row.TextBody.Replace(OutboxEmail.SecretMarker, secret, StringComparison.Ordinal));
    }

    /// <summary>The List-Unsubscribe address as sent, its token put in the same way as the bodies'; null when the email has none.</summary>
    public string? RevealListUnsubscribeUrl(OutboxEmail row) =>
        row.ListUnsubscribeUrl is not { } url ? null
        : row.ProtectedSecret is null ? url
        : url.Replace(OutboxEmail.SecretMarker, _protector.Unprotect(row.ProtectedSecret), StringComparison.Ordinal);

    /// <summary>A text message's body as sent, its link put in (texts and calls wait in <see cref="OutboundMessage"/> rows).</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The key that protected it is gone.</exception>
    public string Reveal(OutboundMessage row) =>
        row.ProtectedSecret is null
            ? row.Body
            : row.Body.Replace(OutboxEmail.SecretMarker, _protector.Unprotect(row.ProtectedSecret), StringComparison.Ordinal);
}
