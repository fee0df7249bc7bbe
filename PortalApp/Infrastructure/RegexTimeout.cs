namespace PortalApp.Infrastructure;

/// <summary>
/// Every regular expression in the app runs with this timeout: .NET's default is none, so one pattern that backtracks
/// on a crafted input would hold a thread for as long as the input makes it. Ours are linear over bounded inputs and
/// finish in microseconds; a match that still runs out of time throws RegexMatchTimeoutException, which each caller
/// turns into its safe answer. PortalApp.Tests checks that no pattern lacks it.
/// </summary>
public static class RegexTimeout
{
    public const int Milliseconds = 250;
}
