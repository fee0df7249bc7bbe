namespace PortalApp.Features.Portal;

/// <summary>Patients sign in with a cookie of their own: a shorter life than staff's, and never valid on staff pages.</summary>
public static class PatientAuth
{
    public const string Scheme = "PortalApp.Patient";
    public const string CookieName = "PortalApp.Patient";
    public const string Policy = "Patient";
    public const string SignInPath = "/portal/sign-in";
    public const string ClientIdClaim = "portal:client_id";
    public const string SignedInAtClaim = "portal:signed_in_at";
}
