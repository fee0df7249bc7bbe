using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using PortalApp.Data;
using PortalApp.Email;

namespace PortalApp.Infrastructure;

/// <summary>
/// What one instance tells the others (PostgreSQL only): which client's messages changed, which email's state changed,
/// which outbound message's state changed, which appointment a patient confirmed or cancelled. Ids only, never names, subjects or bodies: a NOTIFY payload is
/// visible to anyone who can LISTEN on the database.
/// </summary>
public sealed record InstanceNotice(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("clientId")] int? ClientId,
    [property: JsonPropertyName("emailId")] long? EmailId = null,
    [property: JsonPropertyName("status")] OutboxStatus? Status = null,
    // Left out when empty, so the other kinds' payloads stay as they were.
    [property: JsonPropertyName("appointmentId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? AppointmentId = null,
    [property: JsonPropertyName("response"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Response = null,
    [property: JsonPropertyName("messageId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? MessageId = null,
    [property: JsonPropertyName("channel"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MessageChannel? Channel = null,
    [property: JsonPropertyName("messageStatus"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OutboundMessageStatus? MessageStatus = null,
    [property: JsonPropertyName("bulkSendId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? BulkSendId = null)
{
    public const string MessagingKind = "messaging";
    public const string OutboxKind = "outbox";

    /// <summary>A patient confirmed or cancelled an appointment (<see cref="Response"/>: "Confirmed:text reply").</summary>
    public const string AppointmentResponseKind = "appointment-response";

    /// <summary>An outbound message (any channel) changed state: the Messages log and the client's reminders show it.</summary>
    public const string OutboundMessageKind = "outbound-message";

    /// <summary>A bulk send moved on (recipients reached, paused, resumed, cancelled, finished): its progress bar shows it.</summary>
    public const string BulkSendKind = "bulk-send";

    /// <summary>PostgreSQL refuses a NOTIFY payload of 8000 bytes or more.</summary>
    public const int MaxPayloadBytes = 7999;

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public string ToPayload() => JsonSerializer.Serialize(this, Json);

    public static InstanceNotice? FromPayload(string payload)
    {
        try { return JsonSerializer.Deserialize<InstanceNotice>(payload, Json); }
        catch (JsonException) { return null; }
    }

    public bool FitsInPayload() => Encoding.UTF8.GetByteCount(ToPayload()) <= MaxPayloadBytes;
}

/// <summary>
/// The queue of notices this instance publishes. Posting never waits on the database: a page's action has already
/// committed, and a lost live update costs a reload, not data. The relay (PostgresNotificationRelay) sends them.
/// </summary>
public sealed class InstanceNotifications(InstanceIdentity identity)
{
    public const string Channel = "portalapp_events";

    // Bounded, oldest dropped: a database outage must not grow memory without end.
    private readonly Channel<InstanceNotice> _queue = System.Threading.Channels.Channel.CreateBounded<InstanceNotice>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public string InstanceName => identity.Name;

    public void MessagesChanged(int clientId) => _queue.Writer.TryWrite(new InstanceNotice(identity.Name, InstanceNotice.MessagingKind, clientId));

    public void EmailChanged(OutboxEmailChanged change) =>
        _queue.Writer.TryWrite(new InstanceNotice(identity.Name, InstanceNotice.OutboxKind, change.ClientId, change.OutboxEmailId, change.Status));

    /// <param name="response">What and how, in the schedule's words (e.g. "Cancelled:voice call"): no patient data.</param>
    public void AppointmentResponded(int appointmentId, int clientId, string response) =>
        _queue.Writer.TryWrite(new InstanceNotice(identity.Name, InstanceNotice.AppointmentResponseKind, clientId, AppointmentId: appointmentId, Response: response));

    public void OutboundMessageChanged(Features.Channels.OutboundMessageChanged change) =>
        _queue.Writer.TryWrite(new InstanceNotice(identity.Name, InstanceNotice.OutboundMessageKind, change.ClientId,
            MessageId: change.MessageId, Channel: change.Channel, MessageStatus: change.Status));

    public void BulkSendChanged(long bulkSendId) =>
        _queue.Writer.TryWrite(new InstanceNotice(identity.Name, InstanceNotice.BulkSendKind, null, BulkSendId: bulkSendId));

    internal ChannelReader<InstanceNotice> Queued => _queue.Reader;
}
