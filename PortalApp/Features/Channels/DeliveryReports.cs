using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Channels;

public enum DeliveryReportResult
{
    Recorded,

    /// <summary>Known message, but the report would move it backwards (a late "sent" after "delivered"; a reply came already).</summary>
    Unchanged,

    /// <summary>No message has this provider id (or the report names none).</summary>
    UnknownMessage,

    /// <summary>A status this app does not track (e.g. "ringing"): nothing to record.</summary>
    Ignored,
}

/// <summary>
/// Twilio's status callbacks for texts (MessageSid, MessageStatus, ErrorCode) and calls (CallSid, CallStatus), applied
/// to the message they name. A row only ever moves forward: Queued → Sent → Delivered or Failed; Replied is final.
/// Twilio does not promise the order of its callbacks, so each is one conditional UPDATE that a later state refuses.
/// </summary>
public sealed class DeliveryReports(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time, OutboundMessageEvents events, ILogger<DeliveryReports> logger)
{
    private sealed record Report(string Sid, OutboundMessageStatus Status, string? Detail);

    public async Task<DeliveryReportResult> ApplyAsync(IReadOnlyDictionary<string, string> form, CancellationToken ct)
    {
        var sid = Field(form, "MessageSid") ?? Field(form, "CallSid");
        if (sid is null || sid.Length > OutboundMessage.MaxProviderIdLength)
            return DeliveryReportResult.UnknownMessage;
        if (Interpret(sid, form) is not { } report)
            return DeliveryReportResult.Ignored;

        OutboundMessageStatus[] from = report.Status == OutboundMessageStatus.Sent
            ? [OutboundMessageStatus.Queued]
            : [OutboundMessageStatus.Queued, OutboundMessageStatus.Sent];
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changed = await db.OutboundMessages
            .Where(m => m.ProviderMessageId == report.Sid && from.Contains(m.Status))
            .ExecuteUpdateAsync(set =>
            {
                set.SetProperty(m => m.Status, report.Status);
                set.SetProperty(m => m.Version, m => m.Version + 1);
                if (report.Detail is not null)
                    set.SetProperty(m => m.StatusDetail, report.Detail);
                if (report.Status == OutboundMessageStatus.Delivered)
                    set.SetProperty(m => m.DeliveredAtUtc, now);
            }, ct);
        if (changed == 0)
        {
            var known = await db.OutboundMessages.AnyAsync(m => m.ProviderMessageId == report.Sid, ct);
            if (!known)
                logger.LogInformation("Delivery report for an unknown message {ProviderMessageId}; nothing changed", report.Sid);
            return known ? DeliveryReportResult.Unchanged : DeliveryReportResult.UnknownMessage;
        }
        var row = await db.OutboundMessages.AsNoTracking().SingleAsync(m => m.ProviderMessageId == report.Sid, ct);
        events.Publish(row);
        return DeliveryReportResult.Recorded;
    }

    private static Report? Interpret(string sid, IReadOnlyDictionary<string, string> form)
    {
        if (Field(form, "MessageStatus") is { } text)
        {
            return text.ToLowerInvariant() switch
            {
                "accepted" or "scheduled" or "queued" or "sending" or "sent" => new(sid, OutboundMessageStatus.Sent, null),
                "delivered" or "read" => new(sid, OutboundMessageStatus.Delivered, null),
                "undelivered" or "failed" => new(sid, OutboundMessageStatus.Failed, TwilioErrors.Undelivered(Field(form, "ErrorCode"))),
                "canceled" => new(sid, OutboundMessageStatus.Failed, "Cancelled at Twilio before it went."),
                _ => null,
            };
        }
        if (Field(form, "CallStatus") is { } call)
        {
            return call.ToLowerInvariant() switch
            {
                "queued" or "initiated" or "ringing" or "in-progress" => new(sid, OutboundMessageStatus.Sent, null),
                "completed" => new(sid, OutboundMessageStatus.Delivered, "Answered."),
                "busy" => new(sid, OutboundMessageStatus.Failed, "The line was busy."),
                "no-answer" => new(sid, OutboundMessageStatus.Failed, "No one answered."),
                "canceled" => new(sid, OutboundMessageStatus.Failed, "The call was cancelled before it was answered."),
                "failed" => new(sid, OutboundMessageStatus.Failed, Field(form, "ErrorCode") is { } code && code.Length <= 10
                    ? $"The call could not be made (Twilio error {code})."
                    : "The call could not be made."),
                _ => null,
            };
        }
        return null;
    }

    private static string? Field(IReadOnlyDictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
