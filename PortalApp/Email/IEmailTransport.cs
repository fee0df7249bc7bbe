using MimeKit;

namespace PortalApp.Email;

/// <summary>Where outgoing email goes: a real SMTP server, or a folder of .eml files.</summary>
public interface IEmailTransport
{
    /// <summary>One session serves a whole batch, so SMTP connects once, not once per message.</summary>
    Task<IEmailSession> OpenAsync(CancellationToken ct);
}

public interface IEmailSession : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>The receiving server refused this message for good (SMTP 5xx): retrying will not help.</summary>
public sealed class PermanentEmailFailureException(string message, Exception inner) : Exception(message, inner);
