using PortalApp.Data;
using PortalApp.Email;

namespace PortalApp.Features.Channels;

/// <summary>A text message or a voice call a feature asks to send. <paramref name="Secret"/> replaces <see cref="OutboxEmail.SecretMarker"/> in the body at send time.</summary>
public sealed record OutgoingText(
    MessageChannel Channel,
    string ToNumber,
    string Body,
    string Kind,
    ClientLanguage Language,
    int? ClientId = null,
    int? AppointmentId = null,
    string? RecipientName = null,
    string? Secret = null);

/// <summary>Wakes the text and voice dispatcher as soon as a message is committed (the email outbox has its own).</summary>
public sealed class TextOutboxSignal : OutboxSignal;

/// <summary>
/// The one seam every sender writes outbound messages through, on any channel. Like <see cref="EmailOutbox"/>, it adds
/// rows to the caller's DbContext, so a message is committed with the action that causes it; call <see cref="Wake"/>
/// after the commit.
/// <list type="bullet">
/// <item>Email: an <see cref="OutboxEmail"/> (sent by the existing outbox and MailKit) and an <see cref="OutboundMessage"/>
/// that points at it, so the Messages log shows every channel in one list.</item>
/// <item>SMS and voice: an <see cref="OutboundMessage"/> the text and voice dispatcher sends through the provider.</item>
/// </list>
/// </summary>
public sealed class OutboundMessages(EmailOutbox emails, OutboxSecrets secrets, TimeProvider time, TextOutboxSignal textSignal)
{
    public OutboundMessage EnqueueEmail(PortalDbContext db, OutgoingEmail email, ClientLanguage language, int? appointmentId = null)
    {
        var outboxRow = emails.Enqueue(db, email);
        var row = NewRow(MessageChannel.Email, outboxRow.ToAddress, email.ToName, email.TextBody, email.Kind, language, email.ClientId, appointmentId);
        row.Subject = email.Subject;
        row.OutboxEmail = outboxRow;
        // The email's own row carries the secret; this one is the log's view of it and never needs the link.
        db.OutboundMessages.Add(row);
        return row;
    }

    /// <summary>
    /// Many emails at once, for a bulk send's batch: the same rows <see cref="EnqueueEmail"/> adds, written straight away
    /// inside the caller's open transaction (<see cref="PlainRows"/>), so each returned row already has its key.
    /// </summary>
    public async Task<List<OutboundMessage>> WriteEmailsAsync(PortalDbContext db, IReadOnlyList<(OutgoingEmail Email, ClientLanguage Language)> batch,
        CancellationToken ct)
    {
        var outboxRows = batch.Select(b => emails.NewRow(b.Email)).ToList();
        await PlainRows.InsertAsync(db, outboxRows, ct);
        var rows = batch.Select((b, i) =>
        {
            var row = NewRow(MessageChannel.Email, outboxRows[i].ToAddress, b.Email.ToName, b.Email.TextBody, b.Email.Kind, b.Language, b.Email.ClientId, null);
            row.Subject = b.Email.Subject;
            row.OutboxEmailId = outboxRows[i].Id;
            return row;
        }).ToList();
        await PlainRows.InsertAsync(db, rows, ct);
        return rows;
    }

    public OutboundMessage EnqueueText(PortalDbContext db, OutgoingText text)
    {
        if (text.Channel == MessageChannel.Email)
            throw new ArgumentException("Emails go through EnqueueEmail.", nameof(text));
        if (text.Body.Length > OutboundMessage.MaxBodyLength)
            throw new ArgumentException($"A message body is at most {OutboundMessage.MaxBodyLength} characters.", nameof(text));
        var row = NewRow(text.Channel, text.ToNumber, text.RecipientName, text.Body, text.Kind, text.Language, text.ClientId, text.AppointmentId);
        row.ProtectedSecret = text.Secret is null ? null : secrets.Protect(text.Secret);
        db.OutboundMessages.Add(row);
        return row;
    }

    public void Wake()
    {
        emails.WakeDispatcher();
        textSignal.Notify();
    }

    private OutboundMessage NewRow(MessageChannel channel, string recipient, string? name, string body, string kind, ClientLanguage language,
        int? clientId, int? appointmentId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new OutboundMessage
        {
            Channel = channel,
            Recipient = recipient.Trim(),
            RecipientName = name,
            Body = body,
            Kind = kind,
            Language = language,
            ClientId = clientId,
            AppointmentId = appointmentId,
            Status = OutboundMessageStatus.Queued,
            CreatedAtUtc = now,
            NextAttemptAtUtc = now,
        };
    }
}
