using Microsoft.Extensions.Options;
using MimeKit;
using PortalApp.Data;

namespace PortalApp.Email;

/// <summary>
/// Adds emails to the caller's DbContext, so the email is committed in the same transaction as the action that
/// causes it: either both happen or neither. Call <see cref="WakeDispatcher"/> after the commit.
/// </summary>
public sealed class EmailOutbox(IOptions<EmailOptions> options, TimeProvider time, OutboxSignal signal, OutboxSecrets secrets)
{
    public OutboxEmail Enqueue(PortalDbContext db, OutgoingEmail email)
    {
        var row = NewRow(email);
        db.OutboxEmails.Add(row);
        return row;
    }

    /// <summary>The row <see cref="Enqueue"/> adds, not yet added to anything: for callers that write many at once (<see cref="PlainRows"/>).</summary>
    public OutboxEmail NewRow(OutgoingEmail email)
    {
        if (EmailAddressRules.Problem(email.ToAddress) is { } problem)
            throw new ArgumentException(problem, nameof(email));

        var now = time.GetUtcNow().UtcDateTime;
        return new OutboxEmail
        {
            ToAddress = email.ToAddress.Trim(),
            ToName = email.ToName,
            Subject = email.Subject,
            HtmlBody = email.HtmlBody,
            TextBody = email.TextBody,
            Kind = email.Kind,
            ClientId = email.ClientId,
            Status = OutboxStatus.Pending,
            CreatedAtUtc = now,
            NextAttemptAtUtc = now,
            MessageId = $"{Guid.NewGuid():N}@{SenderDomain()}",
            ProtectedSecret = email.Secret is null ? null : secrets.Protect(email.Secret),
            ListUnsubscribeUrl = email.ListUnsubscribeUrl,
        };
    }

    public void WakeDispatcher() => signal.Notify();

    private string SenderDomain() =>
        MailboxAddress.TryParse(options.Value.FromAddress, out var from) && from.Domain is { Length: > 0 } domain
            ? domain
            : "portalapp.local";
}
