using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;

namespace PortalApp.Features.Clinic;

public sealed record ClinicView(
    string Name, string Address, string Phone, string TimeZoneId, string PublicBaseUrl, int InviteExpiryDays, int CaregiverIdentityChecks,
    int StaffIdleTimeoutMinutes, TwoFactorRequirement RequireTwoFactorFor, bool RememberTwoFactorComputers,
    int BulkUndoMinutes = ClinicSettings.DefaultBulkUndoMinutes, int BulkRecentDays = ClinicSettings.DefaultBulkRecentDays)
{
    public static ClinicView From(ClinicSettings row) => new(row.Name, row.Address, row.Phone, row.TimeZone, row.PublicBaseUrl,
        row.InviteExpiryDays, row.CaregiverIdentityChecks, row.StaffIdleTimeoutMinutes, row.RequireTwoFactorFor, row.RememberTwoFactorComputers,
        row.BulkUndoMinutes, row.BulkRecentDays);

    public TimeSpan StaffIdleTimeout => TimeSpan.FromMinutes(StaffIdleTimeoutMinutes);

    /// <summary>Whether the clinic makes this staff member use a second factor.</summary>
    public bool RequiresTwoFactor(IEnumerable<string> roles) => RequireTwoFactorFor switch
    {
        TwoFactorRequirement.AllStaff => true,
        TwoFactorRequirement.Admins => roles.Contains(StaffRoles.Admin),
        _ => false,
    };

    public TimeZoneInfo TimeZone { get; } = ResolveTimeZone(TimeZoneId);

    /// <summary>Links in emails start here, never at a request's Host header. One home for every path we email.</summary>
    public string RegisterLink(string token) => $"{PublicBaseUrl}/register/{token}";

    public string PatientSignInLink => $"{PublicBaseUrl}/portal/sign-in";

    /// <summary>Where a reminder's personal Confirm / Cancel link opens.</summary>
    public const string AppointmentLinkPath = "/appointment/";

    /// <summary>A reminder's personal Confirm / Cancel link.</summary>
    public string AppointmentLink(string token) => $"{PublicBaseUrl}{AppointmentLinkPath}{token}";

    /// <summary>Where a promotional message's unsubscribe link opens (a page on GET, the unsubscribe itself on POST: RFC 8058).</summary>
    public const string UnsubscribeLinkPath = "/unsubscribe/";

    public string UnsubscribeLink(string token) => $"{PublicBaseUrl}{UnsubscribeLinkPath}{token}";

    /// <summary>The patient's Intake forms list (sign-in comes first when needed).</summary>
    public string PatientFormsLink => $"{PublicBaseUrl}/portal/forms";

    /// <summary>A staff member's one-time link: set a first password, choose a new one, or unlock their account.</summary>
    public string StaffAccountLink(AccountTokenPurpose purpose, string token) =>
        $"{PublicBaseUrl}/account/{(purpose == AccountTokenPurpose.Unlock ? "unlock" : "set-password")}/{token}";

    private static TimeZoneInfo ResolveTimeZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}

/// <summary>The clinic's settings, read often (every page shows the name) and changed rarely: cached.</summary>
public sealed class ClinicSettingsService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit)
{
    private ClinicView? _cached;

    public async Task<ClinicView> GetAsync(CancellationToken ct = default)
    {
        if (_cached is { } cached)
            return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ClinicSettings.AsNoTracking().SingleAsync(s => s.Id == Data.ClinicSettings.SingletonId, ct);
        return _cached = ClinicView.From(row);
    }

    public async Task<ClinicSettingsEditModel> GetForEditAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ClinicSettings.AsNoTracking().SingleAsync(ct);
        return new ClinicSettingsEditModel
        {
            Name = row.Name, Address = row.Address, Phone = row.Phone, TimeZone = row.TimeZone,
            PublicBaseUrl = row.PublicBaseUrl, InviteExpiryDays = row.InviteExpiryDays,
            CaregiverIdentityChecks = row.CaregiverIdentityChecks, StaffIdleTimeoutMinutes = row.StaffIdleTimeoutMinutes,
            RequireTwoFactorFor = row.RequireTwoFactorFor, RememberTwoFactorComputers = row.RememberTwoFactorComputers,
            AllowOverlappingAppointments = row.AllowOverlappingAppointments, PhoneRegion = row.PhoneRegion,
            BulkUndoMinutes = row.BulkUndoMinutes, BulkRecentDays = row.BulkRecentDays, Version = row.Version,
        };
    }

    public async Task<ClinicSettingsSaveResult> UpdateAsync(ClinicSettingsEditModel model, StaffActor actor, CancellationToken ct = default)
    {
        var errors = ClinicSettingsRules.Validate(model);
        if (errors.Count > 0)
            return new ClinicSettingsSaveResult.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ClinicSettings.SingleAsync(ct);
        if (row.Version != model.Version)
            return new ClinicSettingsSaveResult.Conflict();
        row.Name = model.Name.Trim();
        row.Address = model.Address.Trim();
        row.Phone = model.Phone.Trim();
        row.TimeZone = model.TimeZone;
        row.PublicBaseUrl = model.PublicBaseUrl.Trim().TrimEnd('/');
        row.InviteExpiryDays = model.InviteExpiryDays;
        row.CaregiverIdentityChecks = model.CaregiverIdentityChecks;
        row.StaffIdleTimeoutMinutes = model.StaffIdleTimeoutMinutes;
        row.RequireTwoFactorFor = model.RequireTwoFactorFor;
        row.RememberTwoFactorComputers = model.RememberTwoFactorComputers;
        row.AllowOverlappingAppointments = model.AllowOverlappingAppointments;
        row.PhoneRegion = model.PhoneRegion.Trim().ToUpperInvariant();
        row.BulkUndoMinutes = model.BulkUndoMinutes;
        row.BulkRecentDays = model.BulkRecentDays;
        audit.Add(db, actor, AuditActions.ClinicSettingsEdit, null, AuditOutcome.Succeeded);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ClinicSettingsSaveResult.Conflict();
        }
        _cached = null;
        return new ClinicSettingsSaveResult.Saved(row.Version);
    }
}
