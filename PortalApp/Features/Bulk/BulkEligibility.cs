using PortalApp.Data;
using PortalApp.Email;

namespace PortalApp.Features.Bulk;

/// <summary>What the bulk rules need to know about one patient, read in one query for the whole audience.</summary>
public sealed record BulkClientFacts(
    int Id,
    string FirstName,
    string LastName,
    DateOnly? EndDate,
    string? Email,
    string? MobilePhone,
    DateTime? EmailOptOutAtUtc,
    DateTime? SmsOptOutAtUtc,
    DateTime? VoiceOptOutAtUtc,
    DateTime? PromotionalConsentAtUtc,
    DateTime? PromotionalOptOutAtUtc,
    bool HasOwnAccount,
    bool HasRegisteredInvite,
    bool HasOpenInvite,
    DateTime? LastVisitUtc,
    DateTime? LastBulkContactUtc,
    string? PreferredName,
    ClientLanguage Language)
{
    public string Name => $"{FirstName} {LastName}";
}

/// <summary>
/// The one rule for who a bulk send may reach, used twice: when staff look at the audience, and again when each
/// patient's turn comes (a card may be end-dated, or a patient unsubscribe, in between).
/// </summary>
public static class BulkEligibility
{
    /// <summary>CASL: an existing patient's implied consent to promotional messages lasts two years after their last visit.</summary>
    public static readonly int ImpliedConsentYears = 2;

    /// <summary>Either the address the message goes to (null for the portal) or why the patient is left out.</summary>
    public sealed record Verdict(string? Address, string? Exclusion)
    {
        public bool Included => Exclusion is null;
    }

    public static Verdict Judge(BulkClientFacts c, BulkChannel channel, BulkPurpose purpose, bool hasPortalReaders, DateOnly today, DateTime nowUtc, int recentDays)
    {
        if (c.EndDate is { } end && end <= today)
            return Out(BulkExclusion.EndDated);
        if (channel == BulkChannel.Invite)
        {
            if (c.HasOwnAccount || c.HasRegisteredInvite)
                return Out(BulkExclusion.AlreadyRegistered);
            if (c.HasOpenInvite)
                return Out(BulkExclusion.AlreadyInvited);
        }
        if (purpose == BulkPurpose.Promotional)
        {
            if (c.PromotionalOptOutAtUtc is { } unsubscribed)
                return Out(BulkExclusion.Unsubscribed(unsubscribed));
            if (!HasConsent(c, nowUtc))
                return Out(BulkExclusion.NoConsent);
        }
        string? address;
        switch (channel)
        {
            case BulkChannel.Email or BulkChannel.Invite:
                if (!EmailAddressRules.IsValid(c.Email))
                    return Out(BulkExclusion.NoEmail);
                if (channel == BulkChannel.Email && c.EmailOptOutAtUtc is not null)
                    return Out(BulkExclusion.OptedOut(channel));
                address = c.Email!.Trim().ToLowerInvariant();
                break;
            case BulkChannel.Sms or BulkChannel.Voice:
                if (string.IsNullOrWhiteSpace(c.MobilePhone))
                    return Out(BulkExclusion.NoMobile);
                if ((channel == BulkChannel.Sms ? c.SmsOptOutAtUtc : c.VoiceOptOutAtUtc) is not null)
                    return Out(BulkExclusion.OptedOut(channel));
                address = c.MobilePhone.Trim();
                break;
            default:
                if (!hasPortalReaders)
                    return Out(BulkExclusion.NoPortalAccount);
                address = null;
                break;
        }
        if (recentDays > 0 && c.LastBulkContactUtc is { } last && last > nowUtc.AddDays(-recentDays))
            return Out(BulkExclusion.RecentlyMessaged(last));
        return new Verdict(address, null);
    }

    public static bool HasConsent(BulkClientFacts c, DateTime nowUtc) =>
        c.PromotionalConsentAtUtc is not null || c.LastVisitUtc is { } visit && visit > nowUtc.AddYears(-ImpliedConsentYears);

    private static Verdict Out(string reason) => new(null, reason);
}
