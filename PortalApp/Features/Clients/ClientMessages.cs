namespace PortalApp.Features.Clients;

public static class ClientMessages
{
    public static string InvitesCancelledByEmailChange(int count) =>
        $"The email address changed, so {(count == 1 ? "the open portal invite was" : $"{count} open portal invites were")} cancelled: "
        + "the link went to the old address. Re-send it from the Patient messaging tab (or the Patient portal tab for a caregiver invite).";

    public const string MergedAway = "This card was merged into another client's card: make changes on that card.";
}
