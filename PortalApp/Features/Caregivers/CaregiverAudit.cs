namespace PortalApp.Features.Caregivers;

/// <summary>Audit actions for caregiver access (staff and caregivers).</summary>
public static class CaregiverAudit
{
    public const string InviteSend = "caregiver.invite-send";
    public const string InviteResend = "caregiver.invite-resend";
    public const string InviteRevoke = "caregiver.invite-revoke";
    public const string AccessEnd = "caregiver.access-end";
    public const string Register = "caregiver.register";
    public const string IdentityCheck = "caregiver.identity-check";

    public static readonly string[] All = [InviteSend, InviteResend, InviteRevoke, AccessEnd, Register, IdentityCheck];
}
