using PortalApp.Components.Shared;
using PortalApp.Features.Bulk;

namespace PortalApp.Features.ClientCards;

/// <summary>
/// The client card's Promotional messages section: express consent (when, how), or the implied consent of a visit in
/// the last two years (<see cref="BulkEligibility"/>, the rule the bulk audience applies), and any unsubscribe.
/// </summary>
/// <param name="HasConsent">What <see cref="BulkEligibility.HasConsent"/> says now.</param>
public sealed record PromotionalStatusView(
    int ClientId, int Version, DateTime? ConsentAtUtc, string? ConsentSource, DateTime? LastVisitUtc, bool HasConsent,
    DateTime? UnsubscribedAtUtc, string? UnsubscribedVia)
{
    public DateTime? ImpliedUntilUtc => LastVisitUtc?.AddYears(BulkEligibility.ImpliedConsentYears);

    public string ConsentText(TimeZoneInfo zone) => (ConsentAtUtc, LastVisitUtc) switch
    {
        ({ } at, _) => $"Express consent, recorded {Dates.FormatClinicTime(at, zone)}: {ConsentSource}.",
        (_, { } visit) when HasConsent =>
            $"Implied consent until {Dates.FormatClinicDate(ImpliedUntilUtc!.Value, zone)}: two years after the last visit, on {Dates.FormatClinicDate(visit, zone)}.",
        (_, { } visit) =>
            $"No consent: the implied consent of the last visit ({Dates.FormatClinicDate(visit, zone)}) ended on {Dates.FormatClinicDate(ImpliedUntilUtc!.Value, zone)}.",
        _ => "No consent: none recorded, and no visit yet.",
    };

    public string UnsubscribeText(TimeZoneInfo zone) => UnsubscribedAtUtc is { } at
        ? $"Unsubscribed {Dates.FormatClinicTime(at, zone)}: {UnsubscribedVia}. No promotional messages go to this client."
        : "Not unsubscribed.";
}

public abstract record PromotionalSaveResult
{
    /// <param name="Message">What was done, in the words the snackbar shows.</param>
    public sealed record Saved(PromotionalStatusView Status, string Message) : PromotionalSaveResult;

    /// <summary>The text typed is missing or too long: the message goes beside the field.</summary>
    public sealed record Invalid(string Message) : PromotionalSaveResult;

    /// <summary>Not allowed for this staff member, or nothing to do (the reason says which).</summary>
    public sealed record Refused(string Message) : PromotionalSaveResult;

    /// <summary>The card changed since it was read (the patient unsubscribed, someone saved).</summary>
    public sealed record Conflict(string Message) : PromotionalSaveResult;

    public sealed record NotFound : PromotionalSaveResult;
}
