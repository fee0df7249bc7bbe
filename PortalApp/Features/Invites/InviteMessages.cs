namespace PortalApp.Features.Invites;

/// <summary>Why an invite action was refused, in the words staff see.</summary>
public static class InviteMessages
{
    public const string AlreadyPending = "An invite is already pending for this patient. Re-send it instead, or revoke it first.";
    public const string ClientEnded = "This client card has an end date, so the patient's portal access has ended. Remove the end date to invite them again.";
    public const string NoEmail = "This client has no email address. Add one on the Details tab of the client card, then send the invite.";
    public const string AlreadyRegistered = "This patient has already registered for the portal.";
    public const string NothingToRevoke = "There is no pending invite to revoke.";
    public const string TemplateGone = "That template no longer exists. Pick another one.";
    public const string ClientGone = "This client no longer exists.";

    public static string BadEmail(string problem) => $"The email address on the client card can't be used: {problem} Fix it on the Details tab of the client card.";
}
