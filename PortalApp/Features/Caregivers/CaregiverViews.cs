using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Caregivers;

/// <summary>What staff fill in to invite a caregiver. With <see cref="CaregiverClientId"/> set, the name, email and phone come from that client card instead.</summary>
public sealed class CaregiverInviteForm
{
    public int? CaregiverClientId { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public CaregiverRelationship? Relationship { get; set; }
    public CaregiverAccessLevel Level { get; set; } = CaregiverAccessLevel.Full;
    public DateOnly? EndsOn { get; set; }
    public string? Note { get; set; }
    public int TemplateId { get; set; }
}

/// <summary>An existing client staff can pick as the caregiver.</summary>
public sealed record CaregiverCandidate(int ClientId, string FirstName, string LastName, DateOnly DateOfBirth, string? Email, string? Phone)
{
    public string FullName => $"{FirstName} {LastName}";
}

/// <summary>Who gets which access to whose portal: what the confirmation dialog states before anything is sent.</summary>
public sealed record CaregiverInviteSummary(
    string CaregiverName, string CaregiverEmail, string PatientName, CaregiverRelationship Relationship, CaregiverAccessLevel Level,
    DateOnly? EndsOn, bool FromClientCard, string TemplateName, EmailContent Email);

public abstract record CaregiverPrepareResult
{
    public sealed record Ready(CaregiverInviteSummary Summary) : CaregiverPrepareResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : CaregiverPrepareResult;
}

public abstract record CaregiverSendResult
{
    public sealed record Sent(long AccessId) : CaregiverSendResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : CaregiverSendResult;
}

public enum CaregiverRowStatus
{
    Invited,
    InviteExpired,
    InviteLocked,
    InviteCancelled,
    Active,
    /// <summary>Not working while a client card is end-dated; back when the end date is removed.</summary>
    Paused,
    /// <summary>Its own end date has come.</summary>
    Expired,
    Ended,
}

public sealed record CaregiverRow(
    long Id, string Name, string Email, string? Phone, CaregiverRelationship Relationship, CaregiverAccessLevel Level, DateOnly? EndsOn,
    string? Note, CaregiverRowStatus Status, string StatusText, DateTime CreatedAtUtc, string CreatedByName, DateTime? ActivatedAtUtc,
    int? CaregiverClientId, string? InviteEmail = null)
{
    public bool CanResend => Status is CaregiverRowStatus.Invited or CaregiverRowStatus.InviteExpired or CaregiverRowStatus.InviteLocked or CaregiverRowStatus.InviteCancelled;
    public bool CanRevokeInvite => Status == CaregiverRowStatus.Invited;
    public bool CanEnd => Status != CaregiverRowStatus.Ended;
}

public enum OwnPortalStatus
{
    NotInvited,
    Invited,
    Registered,
    Ended,
}

/// <summary>Someone this client is a caregiver for: shown on the caregiver's own card.</summary>
public sealed record CaresForRow(int PatientClientId, string PatientName, CaregiverRelationship Relationship, CaregiverAccessLevel Level, CaregiverAccessStatus Status);

/// <summary>Everything the client card's Patient portal tab shows.</summary>
public sealed record PatientPortalState(
    int PatientId, string PatientName, bool PatientEnded, OwnPortalStatus OwnStatus, string OwnStatusText,
    IReadOnlyList<CaregiverRow> Caregivers, IReadOnlyList<TemplateSummary> Templates, IReadOnlyList<CaresForRow> CaresFor);
