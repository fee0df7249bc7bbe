using PortalApp.Components.Shared;
using PortalApp.Data;

namespace PortalApp.Features.Invites;

/// <summary>Where an invite's email is, in words staff read on the patient's and the caregivers' tabs.</summary>
public static class InviteDelivery
{
    public static string Describe(OutboxStatus? status, string? error, DateTime? sentAtUtc, TimeZoneInfo zone) => status switch
    {
        OutboxStatus.Sent when sentAtUtc is { } sent => $"sent {Dates.FormatClinicTime(sent, zone)}",
        OutboxStatus.Failed => $"failed: {error}",
        OutboxStatus.Pending when error is not null => $"queued, retrying ({error})",
        OutboxStatus.Pending => "queued",
        _ => "not recorded",
    };
}
