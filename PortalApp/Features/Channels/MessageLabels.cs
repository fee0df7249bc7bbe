using PortalApp.Data;

namespace PortalApp.Features.Channels;

/// <summary>The words staff see for channels and delivery states, in one place for every page that shows them.</summary>
public static class MessageLabels
{
    public static string Channel(MessageChannel channel) => channel switch
    {
        MessageChannel.Sms => "Text message",
        MessageChannel.Voice => "Voice call",
        _ => "Email",
    };

    /// <summary>The kind an appointment reminder's messages are stored with.</summary>
    public const string AppointmentReminderKind = "reminder";

    /// <summary>The kind a bulk send's messages are stored with.</summary>
    public const string BulkMessageKind = "bulk";

    /// <summary>What sent it, in staff's words; a kind with no words yet shows as stored.</summary>
    public static string Kind(string kind) => kind switch
    {
        AppointmentReminderKind => "Appointment reminder",
        BulkMessageKind => "Bulk message",
        _ => kind,
    };

    public static string Status(OutboundMessageStatus status) => status switch
    {
        OutboundMessageStatus.Queued => "Queued",
        OutboundMessageStatus.Sent => "Sent",
        OutboundMessageStatus.Delivered => "Delivered",
        OutboundMessageStatus.Failed => "Failed",
        OutboundMessageStatus.Replied => "Replied",
        OutboundMessageStatus.Uncertain => "Uncertain",
        _ => "Withdrawn",
    };
}
