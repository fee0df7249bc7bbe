using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Infrastructure;

public sealed class ClinicDefaultsOptions
{
    public const string Section = "Clinic";
    public string Name { get; set; } = "Our clinic";
    public string Address { get; set; } = "";
    public string Phone { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";
    public int InviteExpiryDays { get; set; } = ClinicSettings.DefaultInviteExpiryDays;
    public int CaregiverIdentityChecks { get; set; } = ClinicSettings.DefaultCaregiverIdentityChecks;
    public int StaffIdleTimeoutMinutes { get; set; } = ClinicSettings.DefaultStaffIdleTimeoutMinutes;
    public TwoFactorRequirement RequireTwoFactorFor { get; set; } = ClinicSettings.DefaultRequireTwoFactorFor;
    public bool RememberTwoFactorComputers { get; set; }
    public string PhoneRegion { get; set; } = ClinicSettings.DefaultPhoneRegion;

    /// <summary>The first clinic row, from configuration; a value out of range takes the nearest allowed one.</summary>
    public ClinicSettings ToSettings() => new()
    {
        Name = Name,
        Address = Address,
        Phone = Phone,
        TimeZone = TimeZone,
        PublicBaseUrl = PublicBaseUrl.TrimEnd('/'),
        InviteExpiryDays = Math.Clamp(InviteExpiryDays, ClinicSettings.MinInviteExpiryDays, ClinicSettings.MaxInviteExpiryDays),
        CaregiverIdentityChecks = Math.Clamp(CaregiverIdentityChecks, ClinicSettings.MinCaregiverIdentityChecks, ClinicSettings.MaxCaregiverIdentityChecks),
        StaffIdleTimeoutMinutes = Math.Clamp(StaffIdleTimeoutMinutes, ClinicSettings.MinStaffIdleTimeoutMinutes, ClinicSettings.MaxStaffIdleTimeoutMinutes),
        RequireTwoFactorFor = Enum.IsDefined(RequireTwoFactorFor) ? RequireTwoFactorFor : ClinicSettings.DefaultRequireTwoFactorFor,
        RememberTwoFactorComputers = RememberTwoFactorComputers,
        PhoneRegion = PhoneNumberRules.IsKnownRegion(PhoneRegion) ? PhoneRegion.ToUpperInvariant() : ClinicSettings.DefaultPhoneRegion,
    };
}

public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>Demo clinic, clients, appointments and staff. Refused outside Development.</summary>
    public bool DemoData { get; set; }
}

/// <summary>What must be true before the app serves a request: schema up to date, roles and clinic row present.</summary>
public static class StartupTasks
{
    public static async Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<PortalDbContext>();
        await db.Database.MigrateAsync(ct);
        // WAL lets readers go on while one writer writes; the setting is stored in the file.
        if (!db.IsPostgreSql)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);

        var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in StaffRoles.All.Append(StaffRoles.Patient))
        {
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        }

        if (!await db.ClinicSettings.AnyAsync(ct))
        {
            db.ClinicSettings.Add(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClinicDefaultsOptions>>().Value.ToSettings());
            await db.SaveChangesAsync(ct);
        }
        // Not seeded by the migration: admin migrate-to-postgres copies every row into a freshly migrated database.
        if (!await db.ReminderSettings.AnyAsync(ct))
        {
            db.ReminderSettings.Add(new ReminderSettings());
            await db.SaveChangesAsync(ct);
        }

        await Features.Templates.TemplateService.EnsureDefaultsAsync(db, sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, ct);
        await Features.IntakeForms.StarterForms.EnsureAsync(db, sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, ct);
        await StoreMobilePhonesAsE164Async(db, ct);
        await Features.Import.ImportRunner.MarkInterruptedAsync(db, sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, ct);
    }

    /// <summary>
    /// Cards saved before phone numbers were kept in E.164 get them converted once. A number that does not parse is left
    /// as typed: the card's edit form says what is wrong with it.
    /// </summary>
    private static async Task StoreMobilePhonesAsE164Async(PortalDbContext db, CancellationToken ct)
    {
        var region = await db.ClinicSettings.Select(s => s.PhoneRegion).SingleAsync(ct);
        var typed = await db.Clients.Where(c => c.MobilePhone != null && !c.MobilePhone.StartsWith("+")).ToListAsync(ct);
        foreach (var client in typed)
        {
            if (PhoneNumberRules.Parse(client.MobilePhone, region).E164 is { } e164)
                (client.MobilePhone, client.MobilePhoneDigits) = (e164, PhoneNumberRules.Digits(e164));
        }
        if (typed.Count > 0)
            await db.SaveChangesAsync(ct);
    }

    public static async Task<bool> HasAdminAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return (await users.GetUsersInRoleAsync(StaffRoles.Admin)).Count > 0;
    }
}
