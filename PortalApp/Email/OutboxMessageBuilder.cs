using Microsoft.Extensions.Options;
using MimeKit;
using PortalApp.Data;

namespace PortalApp.Email;

public sealed class OutboxMessageBuilder(IOptions<EmailOptions> options)
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
        message.Body = new BodyBuilder { TextBody = row.TextBody, HtmlBody = row.HtmlBody }.ToMessageBody();
        return message;
    }
}
