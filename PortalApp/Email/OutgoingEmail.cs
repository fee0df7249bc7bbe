namespace PortalApp.Email;

/// <summary>What a feature asks to send; the outbox turns it into a row. <paramref name="Secret"/> replaces <see cref="Data.OutboxEmail.SecretMarker"/> in the bodies at send time.</summary>
public sealed record OutgoingEmail(
    string ToAddress,
    string? ToName,
    string Subject,
    string HtmlBody,
    string TextBody,
    string Kind,
    int? ClientId = null,
    string? Secret = null,
    string? ListUnsubscribeUrl = null);
