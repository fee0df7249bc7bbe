namespace PortalApp.Data;

/// <summary>The one clinic this installation serves (always row 1).</summary>
public class ClinicSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public string Phone { get; set; } = "";

    /// <summary>IANA time zone id, e.g. America/Toronto. Days and times shown to anyone are in this zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Where patients reach the portal; links in emails are built from it, never from a request's Host header.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Days until a patient portal invite expires (1–90).</summary>
    public int InviteExpiryDays { get; set; } = 7;

    /// <summary>Wrong dates of birth a caregiver may give on their registration page before the invite locks (1–10).</summary>
    public int CaregiverIdentityChecks { get; set; } = 3;

    public int Version { get; set; }
}
