namespace PortalApp.Email;

/// <summary>What a feature asks to send; the outbox turns it into a row.</summary>
public sealed record OutgoingEmail(
    string ToAddress,
    string? ToName,
    string Subject,
    string HtmlBody,
    string TextBody,
    string Kind,
    int? ClientId = null);
