namespace PortalApp.Data;

public enum TwoFactorRequirement
{
    Nobody,
    Admins,
    AllStaff,
}

/// <summary>The one clinic this installation serves (always row 1). Defaults and ranges live here and nowhere else.</summary>
public class ClinicSettings
{
    public const int SingletonId = 1;

    public const int DefaultInviteExpiryDays = 7, MinInviteExpiryDays = 1, MaxInviteExpiryDays = 90;
    public const int DefaultCaregiverIdentityChecks = 3, MinCaregiverIdentityChecks = 1, MaxCaregiverIdentityChecks = 10;
    public const int DefaultStaffIdleTimeoutMinutes = 30, MinStaffIdleTimeoutMinutes = 5, MaxStaffIdleTimeoutMinutes = 240;
    public const TwoFactorRequirement DefaultRequireTwoFactorFor = TwoFactorRequirement.Admins;
    public const string DefaultPhoneRegion = "CA";
    public const int DefaultBulkUndoMinutes = 5, MinBulkUndoMinutes = 0, MaxBulkUndoMinutes = 60;
    public const int DefaultBulkRecentDays = 3, MinBulkRecentDays = 0, MaxBulkRecentDays = 365;

    /// <summary>"Remember this computer" skips the second factor on that browser for this long (when the clinic allows it).</summary>
    public static readonly TimeSpan RememberComputerFor = TimeSpan.FromDays(30);

    public int Id { get; set; } = SingletonId;
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public string Phone { get; set; } = "";

    /// <summary>IANA time zone id, e.g. America/Toronto. Days and times shown to anyone are in this zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Where patients reach the portal; links in emails are built from it, never from a request's Host header.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Days until a patient portal invite expires.</summary>
    public int InviteExpiryDays { get; set; } = DefaultInviteExpiryDays;

    /// <summary>Wrong dates of birth a caregiver may give on their registration page before the invite locks.</summary>
    public int CaregiverIdentityChecks { get; set; } = DefaultCaregiverIdentityChecks;

    /// <summary>A staff session ends after this long without activity (an open tab warns two minutes before).</summary>
    public int StaffIdleTimeoutMinutes { get; set; } = DefaultStaffIdleTimeoutMinutes;

    public TwoFactorRequirement RequireTwoFactorFor { get; set; } = DefaultRequireTwoFactorFor;

    /// <summary>Off by default: a shared front-desk computer must not skip anyone's second factor.</summary>
    public bool RememberTwoFactorComputers { get; set; }

    /// <summary>ISO 3166 region phone numbers without a "+" are read in (libphonenumber), e.g. CA, US, FR.</summary>
    public string PhoneRegion { get; set; } = DefaultPhoneRegion;

    /// <summary>Off by default: the server refuses a booking that overlaps the practitioner's other appointments.</summary>
    public bool AllowOverlappingAppointments { get; set; }

    /// <summary>Bulk sends wait this long before the first message leaves, so a mistake can be undone.</summary>
    public int BulkUndoMinutes { get; set; } = DefaultBulkUndoMinutes;

    /// <summary>A patient another bulk send reached in the last this-many days is left out (0: never).</summary>
    public int BulkRecentDays { get; set; } = DefaultBulkRecentDays;

    public int Version { get; set; }
}
