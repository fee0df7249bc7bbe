namespace PortalApp.Features.Staff;

public enum StaffAction
{
    ChangeRoles,
    PractitionerRecord,
    Disable,
    Enable,
    Unlock,
    SendPasswordReset,
    ResendInvite,
    ResetTwoFactor,
}
