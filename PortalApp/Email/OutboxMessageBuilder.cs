using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using PortalApp.Data;

namespace PortalApp.Email;

public sealed class OutboxMessageBuilder(IOptions<EmailOptions> options, OutboxSecrets secrets)
{
    /// <summary>RFC 5322's limit for a whole header line, CRLF excluded; the name, "<" and ">" take the rest.</summary>
    internal const int MaxListUnsubscribeUrlLength = 998 - 21;

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
        var (html, text, unsubscribe) = secrets.Reveal(row);
        if (unsubscribe is not null)
            AddOneClickUnsubscribe(message, unsubscribe);
        message.Body = new OutboxMessageBody(text, html);
        return message;
    }

    /// <summary>
    /// RFC 8058 one-click unsubscribe: the mailbox provider POSTs "List-Unsubscribe=One-Click" to the address. The
    /// address goes in on one line, as given: MimeKit folds a header longer than 78 characters (a line break after
    /// the colon), and a folded List-Unsubscribe is where DKIM signatures were seen to break (Nodemailer's bug).
    /// </summary>
    /// <exception cref="PermanentEmailFailureException">
    /// The address could break the header (a line break, a space, a non-ASCII character) or is no web address: the
    /// email is not sent, rather than sent promotional without a working unsubscribe.
    /// </exception>
    private static void AddOneClickUnsubscribe(MimeMessage message, string url)
    {
        if (!IsHeaderSafeWebAddress(url))
            throw new PermanentEmailFailureException("The unsubscribe address is not a usable web address, so this promotional email was not sent.",
                new FormatException("List-Unsubscribe URL refused"));
        var header = new Header("List-Unsubscribe", "");
        header.SetRawValue(Encoding.ASCII.GetBytes($" <{url}>\r\n"));
        message.Headers.Add(header);
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    }

    private static bool IsHeaderSafeWebAddress(string url) =>
        url.Length <= MaxListUnsubscribeUrlLength
        && url.All(c => c is > ' ' and < '\u007f' and not '<' and not '>')
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
