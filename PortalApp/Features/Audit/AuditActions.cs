namespace PortalApp.Features.Audit;

/// <summary>The audit log's vocabulary; the Audit page filters on these.</summary>
public static class AuditActions
{
    public const string SignIn = "staff.sign-in";
    public const string SignOut = "staff.sign-out";
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
        [SignIn, SignOut, ClientEdit, ChartNoteSave, EmailRetry, EmailTest, ClinicSettingsEdit, TemplateSave, TemplateDelete, TemplateDefault, TemplateTest,
         InviteSend, InviteResend, InviteRevoke, InviteCancel, .. Caregivers.CaregiverAudit.All];
}
