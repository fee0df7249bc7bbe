using PortalApp.Data;

namespace PortalApp.Features.Clients;

/// <summary>Which card a merged field's value comes from.</summary>
public enum MergeKeep
{
    ThisCard,
    OtherCard,
}

/// <summary>
/// The merge screen's choices. The card opened first survives (its id stays); the other card's records move to it and
/// the other id becomes a pointer. Versions are those the screen showed: a save in between fails the merge.
/// </summary>
public sealed class ClientMergeChoices
{
    public int SurvivorId { get; set; }
    public int OtherId { get; set; }
    public int SurvivorVersion { get; set; }
    public int OtherVersion { get; set; }
    public MergeKeep Names { get; set; }
    public MergeKeep DateOfBirth { get; set; }
    public MergeKeep Email { get; set; }
    public MergeKeep MobilePhone { get; set; }
    public MergeKeep Address { get; set; }
    public MergeKeep PreferredLanguage { get; set; }
    public MergeKeep ExternalId { get; set; }
}

/// <summary>One side of the merge as the screen shows it, with what would move.</summary>
public sealed record MergeCardView(
    ClientDetailsView Card, bool HasPortalAccount, int Appointments, int Invites, int Conversations, int CaregiverGrants);

/// <param name="Problem">Why these two cards cannot be merged, or null when they can.</param>
public sealed record MergePreview(MergeCardView Survivor, MergeCardView Other, string? Problem);

public abstract record ClientMergeResult
{
    /// <param name="Summary">What moved, for the snackbar (counts only).</param>
    public sealed record Merged(int SurvivorId, string Summary) : ClientMergeResult;
    public sealed record Refused(string Message) : ClientMergeResult;
    public sealed record Conflict(string Message) : ClientMergeResult;
    public sealed record NotFound : ClientMergeResult;
}

public static class ClientMergeMessages
{
    public const string NotAdmin = "Only an admin can merge client cards.";
    public const string SameCard = "A card cannot be merged with itself: choose the other card for the same person.";
    public const string BothHavePortalAccounts =
        "Both cards have a patient portal account, and a card can have only one. The person should keep one account: "
        + "ask the clinic's IT contact to remove the other before merging.";
    public const string CaregiverOfThemselves =
        "One card is recorded as a caregiver of the other, so merging would make the person their own caregiver. "
        + "End that caregiver access on the Patient portal tab first.";
    public const string Changed =
        "Someone else changed this card or the other one while you were choosing. Nothing was merged: reload to see their changes, then merge again.";

    public static string AlreadyMerged(int id, int into) =>
        $"Card {id} was already merged into card {into}. Merge with card {into} instead.";
}
