using PortalApp.Data;

namespace PortalApp.Features.Clinic;

public sealed class ClinicSettingsEditModel
{
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public string Phone { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string PublicBaseUrl { get; set; } = "";
    public int InviteExpiryDays { get; set; } = ClinicSettings.DefaultInviteExpiryDays;
    public int CaregiverIdentityChecks { get; set; } = ClinicSettings.DefaultCaregiverIdentityChecks;
    public int StaffIdleTimeoutMinutes { get; set; } = ClinicSettings.DefaultStaffIdleTimeoutMinutes;
    public TwoFactorRequirement RequireTwoFactorFor { get; set; } = ClinicSettings.DefaultRequireTwoFactorFor;
    public bool RememberTwoFactorComputers { get; set; }
    public bool AllowOverlappingAppointments { get; set; }
    public string PhoneRegion { get; set; } = ClinicSettings.DefaultPhoneRegion;
    public int BulkUndoMinutes { get; set; } = ClinicSettings.DefaultBulkUndoMinutes;
    public int BulkRecentDays { get; set; } = ClinicSettings.DefaultBulkRecentDays;
    public int Version { get; set; }
}

public abstract record ClinicSettingsSaveResult
{
    public sealed record Saved(int Version) : ClinicSettingsSaveResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : ClinicSettingsSaveResult;
    public sealed record Conflict : ClinicSettingsSaveResult;
}

public static class ClinicSettingsRules
{
    public static string? Name(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "Enter the clinic's name." : value.Length > 150 ? "The name can be at most 150 characters." : null;

    public static string? TimeZone(string? value) =>
        value is not null && TimeZoneInfo.TryFindSystemTimeZoneById(value, out _) ? null : "Pick a time zone from the list.";

    /// <summary>Links in emails are built from this address, so it must be exactly where patients reach the portal.</summary>
    public static string? PublicBaseUrl(string? value)
    {
        if (value?.Trim().Length > 300)
            return "The web address can be at most 300 characters.";
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "Enter the full web address patients use, like https://portal.yourclinic.example";
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            return "The address cannot have a ? or # part.";
        if (uri.Scheme == "http" && !uri.IsLoopback)
            return "Use https: patients' links must be encrypted.";
        return null;
    }

    public static string? InviteExpiryDays(int days) =>
        days is < ClinicSettings.MinInviteExpiryDays or > ClinicSettings.MaxInviteExpiryDays
            ? $"An invite can last from {ClinicSettings.MinInviteExpiryDays} to {ClinicSettings.MaxInviteExpiryDays} days." : null;

    public static string? CaregiverIdentityChecks(int attempts) =>
        attempts is < ClinicSettings.MinCaregiverIdentityChecks or > ClinicSettings.MaxCaregiverIdentityChecks
            ? $"Allow from {ClinicSettings.MinCaregiverIdentityChecks} to {ClinicSettings.MaxCaregiverIdentityChecks} tries." : null;

    public static string? StaffIdleTimeoutMinutes(int minutes) =>
        minutes is < ClinicSettings.MinStaffIdleTimeoutMinutes or > ClinicSettings.MaxStaffIdleTimeoutMinutes
            ? $"Sign staff out after {ClinicSettings.MinStaffIdleTimeoutMinutes} to {ClinicSettings.MaxStaffIdleTimeoutMinutes} idle minutes." : null;

    public static string? BulkUndoMinutes(int minutes) =>
        minutes is < ClinicSettings.MinBulkUndoMinutes or > ClinicSettings.MaxBulkUndoMinutes
            ? $"The undo window can be from {ClinicSettings.MinBulkUndoMinutes} to {ClinicSettings.MaxBulkUndoMinutes} minutes." : null;

    public static string? BulkRecentDays(int days) =>
        days is < ClinicSettings.MinBulkRecentDays or > ClinicSettings.MaxBulkRecentDays
            ? $"The recent-contact window can be from {ClinicSettings.MinBulkRecentDays} (off) to {ClinicSettings.MaxBulkRecentDays} days." : null;

    public static string? PhoneRegion(string? value) =>
        PhoneNumberRules.IsKnownRegion(value?.Trim()) ? null : "Enter a two-letter country code, like CA, US or FR.";

    public static Dictionary<string, string> Validate(ClinicSettingsEditModel model)
    {
        var errors = new Dictionary<string, string>();
        if (Name(model.Name) is { } name) errors[nameof(model.Name)] = name;
        if (TimeZone(model.TimeZone) is { } zone) errors[nameof(model.TimeZone)] = zone;
        if (PublicBaseUrl(model.PublicBaseUrl) is { } url) errors[nameof(model.PublicBaseUrl)] = url;
        if (InviteExpiryDays(model.InviteExpiryDays) is { } days) errors[nameof(model.InviteExpiryDays)] = days;
        if (CaregiverIdentityChecks(model.CaregiverIdentityChecks) is { } tries) errors[nameof(model.CaregiverIdentityChecks)] = tries;
        if (StaffIdleTimeoutMinutes(model.StaffIdleTimeoutMinutes) is { } idle) errors[nameof(model.StaffIdleTimeoutMinutes)] = idle;
        if (!Enum.IsDefined(model.RequireTwoFactorFor)) errors[nameof(model.RequireTwoFactorFor)] = "Choose who must use two-factor sign-in.";
        if (model.Address?.Length > 300) errors[nameof(model.Address)] = "The address can be at most 300 characters.";
        if (BulkUndoMinutes(model.BulkUndoMinutes) is { } undo) errors[nameof(model.BulkUndoMinutes)] = undo;
        if (BulkRecentDays(model.BulkRecentDays) is { } recent) errors[nameof(model.BulkRecentDays)] = recent;
        if (PhoneRegion(model.PhoneRegion) is { } region) errors[nameof(model.PhoneRegion)] = region;
        if (model.Phone?.Length > 30) errors[nameof(model.Phone)] = "The phone number can be at most 30 characters.";
        return errors;
    }
}
