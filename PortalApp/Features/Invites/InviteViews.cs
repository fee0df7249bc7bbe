using PortalApp.Data;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Invites;

public sealed record InviteView(
    long Id, InviteStatus Status, bool IsExpired, DateTime CreatedAtUtc, DateTime ExpiresAtUtc, string SentByName,
    string TemplateName, string Subject, string BodyHtml, string BodyText,
    OutboxStatus? DeliveryStatus, string? DeliveryError, DateTime? DeliveredAtUtc, DateTime? EndedAtUtc, string? EndedByName);

/// <summary>Everything the Patient messaging tab needs to decide what to show.</summary>
public sealed record PatientMessagingState(
    int ClientId, string ClientName, string? Email, string? EmailProblem, DateOnly? EndDate, bool IsEnded,
    InviteView? LatestInvite, IReadOnlyList<TemplateSummary> InviteTemplates, bool HasPortalAccount = false)
{
    public bool IsRegistered => HasPortalAccount || LatestInvite?.Status == InviteStatus.Registered;
    public bool HasOpenInvite => LatestInvite is { Status: InviteStatus.Pending, IsExpired: false };
    public bool HasExpiredInvite => LatestInvite is { Status: InviteStatus.Pending, IsExpired: true } or { Status: InviteStatus.Expired };
    public bool CanInvite => !IsEnded && EmailProblem is null && !IsRegistered;
}

public abstract record InviteSendResult
{
    public sealed record Sent(InviteView Invite) : InviteSendResult;
    public sealed record Refused(string Reason) : InviteSendResult;
}
