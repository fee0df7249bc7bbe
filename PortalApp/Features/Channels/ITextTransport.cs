using PortalApp.Data;

namespace PortalApp.Features.Channels;

/// <summary>Where text messages and voice calls go: Twilio, or a folder shown on the Dev outbox page.</summary>
public interface ITextTransport
{
    /// <param name="body">The text as sent: the row's body with its personal link put in.</param>
    Task<TextSendResult> SendSmsAsync(OutboundMessage m, string body, CancellationToken ct);

    /// <summary>Starts a call; the provider then fetches what to say from <see cref="WebhookPaths.Voice"/>.</summary>
    Task<TextSendResult> StartCallAsync(OutboundMessage m, CancellationToken ct);
}

/// <summary>What the provider made of one message.</summary>
public abstract record TextSendResult
{
    /// <param name="ProviderId">The provider's id for it (Twilio's message or call SID): delivery reports come back under it.</param>
    public sealed record Accepted(string ProviderId) : TextSendResult;

    /// <summary>Refused for good (invalid number, blocked, opted out at the provider): trying again will not help.</summary>
    /// <param name="Reason">In words staff understand, with the provider's code.</param>
    public sealed record Rejected(string Reason) : TextSendResult;

    /// <summary>Not this message's fault (busy, down, timed out, bad credentials, a full disk): try again later.</summary>
    public sealed record TryLater(string Reason) : TextSendResult;

    /// <summary>
    /// Handed to the provider, which did not answer in time: it may or may not have gone, and trying again could send it
    /// twice, so it is not tried again (as a send cut off by a crash).
    /// </summary>
    public sealed record NoAnswer(string Reason) : TextSendResult;
}
