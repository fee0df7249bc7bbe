using System.Text;
using MimeKit;
using MimeKit.IO;

namespace PortalApp.Email;

/// <summary>
/// An outbox email's body, its text and HTML alternatives as <see cref="BodyBuilder"/> makes them, which can be held
/// back until the previous email's sent record is committed. A server takes a message only once its last byte has
/// arrived, so the next email's envelope and headers go out while the previous one is recorded, and still at most one
/// email is ever accepted but not recorded: a crash repeats only that one. The record was a third of the outbox's path
/// between two sends (issue 14's benchmark).
/// </summary>
public sealed class OutboxMessageBody : MultipartAlternative
{
    private Task _previousRecorded = Task.CompletedTask;

    public OutboxMessageBody(string text, string html)
    {
        var plain = new TextPart("plain");
        plain.SetText(Encoding.UTF8, text);
        Add(plain);
        var rich = new TextPart("html");
        rich.SetText(Encoding.UTF8, html);
        Add(rich);
    }

    /// <summary>The body's first byte waits for <paramref name="previousRecorded"/>; if that fails, so does this send.</summary>
    public static void HoldUntil(MimeMessage message, Task previousRecorded) =>
        (message.Body as OutboxMessageBody ?? throw new ArgumentException("Not built by OutboxMessageBuilder", nameof(message)))._previousRecorded = previousRecorded;

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (stream is not MeasuringStream) // MailKit measures a message (SIZE, BDAT) before it sends any of it
            await _previousRecorded.WaitAsync(cancellationToken);
        await base.WriteToAsync(options, stream, contentOnly, cancellationToken);
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (stream is not MeasuringStream)
            _previousRecorded.WaitAsync(cancellationToken).GetAwaiter().GetResult();
        base.WriteTo(options, stream, contentOnly, cancellationToken);
    }
}
