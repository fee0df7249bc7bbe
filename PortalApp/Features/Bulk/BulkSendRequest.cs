using PortalApp.Data;
using PortalApp.Features.Templates;

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

    /// <summary>The templates a channel starts from and the placeholders its message may use (a portal message: the bulk email's).</summary>
    public static TemplateKind TemplateKindFor(BulkChannel channel) => channel switch
    {
        BulkChannel.Sms => TemplateKind.BulkSms,
        BulkChannel.Voice => TemplateKind.BulkVoice,
        BulkChannel.Invite => TemplateKind.PortalInvite,
        _ => TemplateKind.BulkEmail,
    };

    /// <summary>Promotional messages need a way to unsubscribe, which only email and text messages carry.</summary>
    public static string? PurposeProblem(BulkPurpose purpose, BulkChannel channel) =>
        purpose == BulkPurpose.Promotional && channel is not (BulkChannel.Email or BulkChannel.Sms)
            ? "Promotional messages go by email or text message, where patients can unsubscribe. Portal messages, calls and invites are for care and service only."
            : null;

    /// <summary>
    /// The placeholders and Liquid of a written message, checked as a template of the channel's bulk kind is on save:
    /// an unknown placeholder or a syntax error would otherwise fail every recipient when their turn comes.
    /// An invite uses a saved invite template, checked when it was saved.
    /// </summary>
    public static string? TemplateProblem(TemplateRenderer renderer, BulkChannel channel, string? subject, string? body)
    {
        if (channel == BulkChannel.Invite)
            return null;
        var errors = TemplateRules.Validate(renderer, TemplateKindFor(channel), "bulk", subject, body);
        return errors.Count == 0 ? null : string.Join(" ", errors.Values);
    }

    /// <summary>Everything <see cref="Problem(BulkSendRequest)"/> checks, then the message as a template.</summary>
    public static string? Problem(BulkSendRequest r, TemplateRenderer renderer) =>
        Problem(r) ?? TemplateProblem(renderer, r.Channel, r.Subject, r.Body);

    public static string? Problem(BulkSendRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Title))
            return "Give the send a name (staff see it in the list and the report).";
        if (r.Title.Trim().Length > BulkSend.MaxTitleLength)
            return $"The name is at most {BulkSend.MaxTitleLength} characters.";
        if (!Enum.IsDefined(r.Channel) || !Enum.IsDefined(r.Purpose))
            return "Choose how the message goes and what it is for.";
        if (PurposeProblem(r.Purpose, r.Channel) is { } purposeProblem)
            return purposeProblem;
        if ((r.Audience.Problem() ?? BulkAudienceFilter.ChannelProblem(r.Audience.Kind, r.Channel)) is { } audienceProblem)
            return audienceProblem;
        if (r.Channel == BulkChannel.Invite)
            return r.TemplateId is null ? "Choose the invite template." : KeyProblem(r);
        return MessageProblem(r.Channel, r.Subject, r.Body) ?? KeyProblem(r);
    }

    /// <summary>A written message (not an invite's template): its subject where the channel has one, and its length.</summary>
    public static string? MessageProblem(BulkChannel channel, string? subject, string? body)
    {
        if (HasSubject(channel) && string.IsNullOrWhiteSpace(subject))
            return "Enter a subject.";
        if (subject is { Length: > BulkSend.MaxSubjectLength })
            return $"The subject is at most {BulkSend.MaxSubjectLength} characters.";
        if (string.IsNullOrWhiteSpace(body))
            return "Write the message.";
        if (body.Length > MaxBodyLength(channel))
            return $"The message is at most {MaxBodyLength(channel):N0} characters for this channel.";
        return null;
    }

    private static string? KeyProblem(BulkSendRequest r) =>
        string.IsNullOrWhiteSpace(r.IdempotencyKey) || r.IdempotencyKey.Length > BulkSend.MaxKeyLength
            ? "This form has expired. Reload the page and compose the message again."
            : null;
}
