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
    InviteView? LatestInvite, IReadOnlyList<TemplateSummary> InviteTemplates, bool HasPortalAccount, IReadOnlyList<string> Caregivers)
{
    /// <summary>Caregivers with full access (<see cref="Caregivers"/>) read the patient's messages, so staff can message a child who has no account of their own.</summary>
    public bool CanMessage => IsRegistered || Caregivers.Count > 0;
    public bool IsRegistered => HasPortalAccount || LatestInvite?.Status == InviteStatus.Registered;
    public bool HasOpenInvite => LatestInvite is { Status: InviteStatus.Pending, IsExpired: false };
    /// <summary>An invite that ran out, or was locked after failed identity checks: staff re-send it.</summary>
    public bool HasExpiredInvite => LatestInvite is { Status: InviteStatus.Pending, IsExpired: true } or { Status: InviteStatus.Expired } or { Status: InviteStatus.Locked };
    public bool CanInvite => !IsEnded && EmailProblem is null && !IsRegistered;
}

public abstract record InviteSendResult
{
    public sealed record Sent(InviteView Invite) : InviteSendResult;
    public sealed record Refused(string Reason) : InviteSendResult;
}
