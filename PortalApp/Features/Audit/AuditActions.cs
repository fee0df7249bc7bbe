namespace PortalApp.Features.Audit;

/// <summary>The audit log's vocabulary; the Audit page filters on these.</summary>
public static class AuditActions
{
    public const string SignIn = "staff.sign-in";
    public const string SignOut = "staff.sign-out";
    public const string AccountLocked = "staff.account-locked";
    public const string AccountUnlockedByLink = "staff.unlock-by-link";
    public const string StaffInvite = "staff.invite";
    public const string StaffInviteAccepted = "staff.invite-accepted";
    public const string StaffRolesChange = "staff.roles-change";
    public const string StaffPractitionerLink = "staff.practitioner-link";
    public const string StaffDisable = "staff.disable";
    public const string StaffEnable = "staff.enable";
    public const string StaffUnlock = "staff.unlock";
    public const string StaffPasswordResetLink = "staff.password-reset-link";
    public const string StaffPasswordSet = "staff.password-set";
    public const string StaffPasswordChange = "staff.password-change";
    public const string StaffTwoFactorEnable = "staff.two-factor-enable";
    public const string StaffTwoFactorDisable = "staff.two-factor-disable";
    public const string StaffTwoFactorReset = "staff.two-factor-reset";
    public const string StaffRecoveryCodes = "staff.recovery-codes";
    public const string StaffCreate = "staff.create";
    public const string ClientEdit = "client.edit";
    public const string ChartNoteSave = "chart-note.save";
    public const string EmailRetry = "email.retry";
    public const string EmailTest = "email.test";
    public const string ClinicSettingsEdit = "clinic-settings.edit";
    public const string TemplateSave = "template.save";
    public const string TemplateDelete = "template.delete";
    public const string TemplateDefault = "template.default";
    public const string TemplateTest = "template.test";
    public const string InviteSend = "invite.send";
    public const string InviteResend = "invite.resend";
    public const string InviteRevoke = "invite.revoke";
    public const string InviteCancel = "invite.cancel";

    public static readonly string[] All =
        [SignIn, SignOut, AccountLocked, AccountUnlockedByLink, StaffInvite, StaffInviteAccepted, StaffRolesChange, StaffPractitionerLink,
         StaffDisable, StaffEnable, StaffUnlock, StaffPasswordResetLink, StaffPasswordSet, StaffPasswordChange, StaffTwoFactorEnable,
         StaffTwoFactorDisable, StaffTwoFactorReset, StaffRecoveryCodes, StaffCreate, ClientEdit, ChartNoteSave, EmailRetry, EmailTest, ClinicSettingsEdit, TemplateSave, TemplateDelete, TemplateDefault, TemplateTest,
         InviteSend, InviteResend, InviteRevoke, InviteCancel, .. Caregivers.CaregiverAudit.All];
}
