namespace PortalApp.Features.Portal;

/// <summary>Patients sign in with a cookie of their own: a shorter life than staff's, and never valid on staff pages.</summary>
public static class PatientAuth
{
    public const string Scheme = Security.SessionCookies.PatientScheme;
    public const string CookieName = "PortalApp.Patient";
    public const string Policy = "Patient";
    public const string SignInPath = "/portal/sign-in";
}

public sealed class PortalSessionOptions
{
    public const string Section = "PortalSession";

    /// <summary>A patient's session ends after this long without a request. (It always ends 12 hours after sign-in.)</summary>
    [System.ComponentModel.DataAnnotations.Range(5, 240)]
    public int IdleTimeoutMinutes { get; set; } = 30;
}
