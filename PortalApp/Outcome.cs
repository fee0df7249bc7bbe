namespace PortalApp;

/// <summary>
/// A service's answer to an action that either happens or is refused for a reason the person can act on. Actions with
/// more to say (InviteSendResult, ClientSaveResult, …) have a closed hierarchy of their own in the same shape.
/// See docs/decisions/0008-results-not-strings.md.
/// </summary>
public abstract record Outcome
{
    public sealed record Done : Outcome;

    /// <param name="Reason">Says what is wrong and what to do, in words for the person who asked.</param>
    public sealed record Refused(string Reason) : Outcome;

    public static readonly Outcome Ok = new Done();

    public static Outcome Refuse(string reason) => new Refused(reason);
}
