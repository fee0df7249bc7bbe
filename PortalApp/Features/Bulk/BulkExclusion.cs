using System.Globalization;
using PortalApp.Data;

namespace PortalApp.Features.Bulk;

/// <summary>Why a patient is left out of a bulk send, in the words the audience list and the report show.</summary>
public static class BulkExclusion
{
    public const string EndDated = "End-dated";
    public const string NoEmail = "No email address";
    public const string NoMobile = "No mobile number";
    public const string NoPortalAccount = "No portal account";
    public const string CaregiverOnly = "Caregiver only: no client card of their own";
    public const string AlreadyInvited = "Already invited: their invite is still open";
    public const string AlreadyRegistered = "Already has a portal account";
    public const string NoConsent = "No consent to promotional messages: none recorded, and no visit in the last 2 years";
    public const string Gone = "The client card was merged or removed";

    public static string OptedOut(BulkChannel channel) => channel switch
    {
        BulkChannel.Sms => "Opted out of text messages",
        BulkChannel.Voice => "Opted out of calls",
        _ => "Opted out of emails",
    };

    public static string Unsubscribed(DateTime atUtc) => $"Unsubscribed from promotional messages on {Day(atUtc)}";

    public static string RecentlyMessaged(DateTime atUtc) => $"Reached by another bulk send on {Day(atUtc)}";

    public static string SameAddress(BulkChannel channel, string otherName) =>
        channel is BulkChannel.Sms or BulkChannel.Voice ? $"Same mobile number as {otherName}, who gets it" : $"Same email address as {otherName}, who gets it";

    private static string Day(DateTime utc) => utc.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
