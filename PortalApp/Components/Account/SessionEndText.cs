using PortalApp.Data;

namespace PortalApp.Components.Account;

/// <summary>What the sign-in page says to someone whose session ended, from a short code in its address.</summary>
public static class SessionEndText
{
    public static string Code(SessionEndReason reason) => reason switch
    {
        SessionEndReason.IdleTimeout => "idle",
        SessionEndReason.TimeLimit => "limit",
        SessionEndReason.AccountChanged => "changed",
        SessionEndReason.OtherSignIn => "other",
        _ => "signed-out",
    };

    public static string? Message(string? code) => code switch
    {
        "idle" => "You were signed out because the page was left without activity. Sign in again to go on.",
        "limit" => "You were signed out: a session lasts at most 12 hours. Sign in again to go on.",
        "changed" => "You were signed out because your account changed (its password, two-factor, roles or access). Sign in again.",
        "other" => "You were signed out because someone else signed in on this browser.",
        "signed-out" => "Your session ended. Sign in again to go on.",
        _ => null,
    };
}
