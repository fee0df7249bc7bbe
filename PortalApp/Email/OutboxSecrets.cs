using Microsoft.AspNetCore.DataProtection;
using PortalApp.Data;

namespace PortalApp.Email;

/// <summary>
/// Keeps a link's token out of the database in readable form: encrypted while the email waits, written into the
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
}
