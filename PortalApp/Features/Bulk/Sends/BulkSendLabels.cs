using PortalApp.Components.Shared;
using PortalApp.Data;

namespace PortalApp.Features.Bulk.Sends;

/// <summary>A send's state in staff's words, with times in the clinic's zone.</summary>
public static class BulkSendLabels
{
    /// <summary>True while a send waits out its undo window: undoing it then means nobody ever gets it.</summary>
    public static bool InUndoWindow(BulkSendSummary send, DateTime nowUtc) =>
        send.State == BulkSendState.Scheduled && nowUtc < send.StartsAtUtc && !IsScheduledLater(send);

    /// <summary>Scheduled by staff for a time after the undo window.</summary>
    public static bool IsScheduledLater(BulkSendSummary send) => send.ScheduledForUtc is { } at && at == send.StartsAtUtc;

    public static string State(BulkSendSummary send, DateTime nowUtc, TimeZoneInfo zone) => send.State switch
    {
        BulkSendState.Scheduled when nowUtc >= send.StartsAtUtc => "Starting",
        BulkSendState.Scheduled when IsScheduledLater(send) => $"Scheduled for {Dates.FormatClinicTime(send.StartsAtUtc, zone)}",
        BulkSendState.Scheduled => $"Undo window until {Dates.FormatClinicClock(send.StartsAtUtc, zone)}",
        BulkSendState.Sending => $"Sending {send.Processed:N0} of {send.RecipientCount:N0}",
        BulkSendState.Paused => $"Paused at {send.Processed:N0} of {send.RecipientCount:N0}",
        BulkSendState.Finished => "Finished",
        _ => "Cancelled",
    };
}
