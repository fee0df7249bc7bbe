namespace PortalApp.Features.Caregivers;

/// <summary>What staff are told when a caregiver action is refused: each says what is wrong and what to do.</summary>
public static class CaregiverMessages
{
    public const string PatientGone = "This client no longer exists.";
    public const string PatientEnded = "This client card has an end date: portal access has ended, so no caregiver can be invited. Remove the end date on the Details tab to restore access.";
    public const string CaregiverGone = "The client you picked as caregiver no longer exists. Look them up again.";
    public const string OwnCaregiver = "A patient cannot be their own caregiver. Pick someone else.";
    public const string TemplateGone = "That caregiver invite template no longer exists. Pick another.";
    public const string NoTemplate = "There is no caregiver invite template. Create one on the Templates page.";
    public const string StaffEmail = "This email address belongs to a clinic staff account. Use the caregiver's personal email address.";
    public const string AlreadyInvited = "This caregiver already has an open invite to this portal. Re-send it from the list instead.";
    public const string AccessGone = "This caregiver's access no longer exists. The list is refreshed.";
    public const string AlreadyEnded = "This caregiver's access has already ended. Send a new invite to give access again.";
    public const string AccessExpired = "This caregiver's access end date has passed. Send a new invite to give access again.";
    public const string NothingToRevoke = "This caregiver has no open invite to revoke.";
    public const string Conflict = "Someone else changed this caregiver's access just now. The list is refreshed: check it and try again.";

    public static string CaregiverEnded(string name) => $"{name}'s client card has an end date, so they cannot be a caregiver. Remove the end date on their card first.";
    public static string CardWithoutEmail(string name) => $"{name}'s client card has no email address. Add one on their card, or enter the caregiver's details by hand.";
    public static string PatientsOwnEmail(string patient) => $"This is {patient}'s own email address. A caregiver needs an email address of their own.";
    public static string AlreadyHasAccess(string caregiver, string patient) => $"{caregiver} already has access to {patient}'s portal.";
    public static string AlreadyActive(string caregiver) => $"{caregiver} has already registered; there is no invite to re-send.";
}
