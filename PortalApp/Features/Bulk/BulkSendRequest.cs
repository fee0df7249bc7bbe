using PortalApp.Data;

namespace PortalApp.Features.Bulk;

/// <summary>What staff composed. <see cref="ConfirmedCount"/> is the number they typed to confirm; the server counts again.</summary>
public sealed record BulkSendRequest(
    string IdempotencyKey,
    string? Title,
    BulkChannel Channel,
    BulkPurpose Purpose,
    BulkAudienceFilter Audience,
    int? TemplateId,
    string? Subject,
    string? Body,
    DateTime? ScheduledForUtc,
    int? ConfirmedCount);

public abstract record BulkCreateResult
{
    public sealed record Created(long BulkSendId, int Recipients, DateTime StartsAtUtc) : BulkCreateResult;

    /// <summary>The same compose form was sent again (a double click): the send it made the first time.</summary>
    public sealed record AlreadyCreated(long BulkSendId) : BulkCreateResult;
    public sealed record Refused(string Reason) : BulkCreateResult;
}

/// <summary>The rules a composed message must meet, in words staff act on (one home: the page shows them, the service enforces them).</summary>
public static class BulkMessageRules
{
    public static int MaxBodyLength(BulkChannel channel) => channel switch
    {
        BulkChannel.Sms => 1_600,
        BulkChannel.Voice => 2_000,
        _ => BulkSend.MaxBodyLength,
    };

    public static bool HasSubject(BulkChannel channel) => channel is BulkChannel.Email or BulkChannel.Portal or BulkChannel.Invite;

    public static string? Problem(BulkSendRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Title))
            return "Give the send a name (staff see it in the list and the report).";
        if (r.Title.Trim().Length > BulkSend.MaxTitleLength)
            return $"The name is at most {BulkSend.MaxTitleLength} characters.";
        if (!Enum.IsDefined(r.Channel) || !Enum.IsDefined(r.Purpose))
            return "Choose how the message goes and what it is for.";
        if (r.Purpose == BulkPurpose.Promotional && r.Channel is not (BulkChannel.Email or BulkChannel.Sms))
            return "Promotional messages go by email or text message, where patients can unsubscribe. Portal messages, calls and invites are for care and service only.";
        if ((r.Audience.Problem() ?? BulkAudienceFilter.ChannelProblem(r.Audience.Kind, r.Channel)) is { } audienceProblem)
            return audienceProblem;
        if (r.Channel == BulkChannel.Invite)
            return r.TemplateId is null ? "Choose the invite template." : KeyProblem(r);
        if (HasSubject(r.Channel) && string.IsNullOrWhiteSpace(r.Subject))
            return "Enter a subject.";
        if (r.Subject is { Length: > BulkSend.MaxSubjectLength })
            return $"The subject is at most {BulkSend.MaxSubjectLength} characters.";
        if (string.IsNullOrWhiteSpace(r.Body))
            return "Write the message.";
        if (r.Body.Length > MaxBodyLength(r.Channel))
            return $"The message is at most {MaxBodyLength(r.Channel):N0} characters for this channel.";
        return KeyProblem(r);
    }

    private static string? KeyProblem(BulkSendRequest r) =>
        string.IsNullOrWhiteSpace(r.IdempotencyKey) || r.IdempotencyKey.Length > BulkSend.MaxKeyLength
            ? "This form has expired. Reload the page and compose the message again."
            : null;
}
