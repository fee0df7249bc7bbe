namespace PortalApp.Security;

/// <summary>
/// How often anyone can make the clinic email one account a link (a password reset, a fresh invite): at most once per
/// 15 minutes and 5 times a day. Without it, a stranger who knows an address can fill that inbox from the clinic.
/// </summary>
public static class EmailedLinkLimit
{
    public static readonly TimeSpan MinimumGap = TimeSpan.FromMinutes(15);
    public const int PerDay = 5;

    /// <param name="sentUtc">When such emails went to this account in the last day.</param>
    public static bool Allows(IReadOnlyCollection<DateTime> sentUtc, DateTime nowUtc) =>
        sentUtc.Count(t => t > nowUtc.AddDays(-1)) < PerDay && sentUtc.All(t => t <= nowUtc - MinimumGap);
}
