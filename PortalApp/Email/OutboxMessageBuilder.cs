using Microsoft.Extensions.Options;
using MimeKit;
using PortalApp.Data;

namespace PortalApp.Email;

public sealed class OutboxMessageBuilder(IOptions<EmailOptions> options, OutboxSecrets secrets)
{
    public MimeMessage Build(OutboxEmail row)
    {
        var message = new MimeMessage
        {
            Subject = row.Subject,
            MessageId = row.MessageId,
            Date = new DateTimeOffset(row.CreatedAtUtc, TimeSpan.Zero),
        };
        message.From.Add(new MailboxAddress(options.Value.FromName, options.Value.FromAddress));
        message.To.Add(new MailboxAddress(row.ToName ?? "", row.ToAddress));
        var (html, text) = secrets.Reveal(row);
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }
}
