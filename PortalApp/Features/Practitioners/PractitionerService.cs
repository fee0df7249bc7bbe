using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.Practitioners;

public sealed class PractitionerForm
{
    public int? Id { get; set; }
    public string DisplayName { get; set; } = "";
    public string? Credentials { get; set; }
    public string Colour { get; set; } = Practitioner.DefaultColour;
    public bool IsActive { get; set; } = true;
    public string? StaffUserId { get; set; }
    public int Version { get; set; }
}

public sealed record PractitionerRow(int Id, string DisplayName, string? Credentials, string Colour, bool IsActive, string? StaffUserId, string? StaffName, int Version)
{
    public PractitionerForm ToForm() => new()
    {
        Id = Id, DisplayName = DisplayName, Credentials = Credentials, Colour = Colour, IsActive = IsActive, StaffUserId = StaffUserId, Version = Version,
    };
}

public sealed record StaffAccountChoice(string UserId, string DisplayName);

/// <summary>Success, or the field and message to show.</summary>
public sealed record AdminSaveResult(bool Saved, string Message, string? Field = null);

/// <summary>The Admin list of practitioners: who can be booked, in what colour, and which staff sign-in is theirs.</summary>
public sealed partial class PractitionerService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit)
{
    public const int MaxNameLength = 150, MaxCredentialsLength = 50;
    public const string AdminsOnly = "Only admins can add or change practitioners.";

    // \A…\z, not ^…$: "$" would let a trailing newline through.
    [GeneratedRegex(@"\A#[0-9A-Fa-f]{6}\z", RegexOptions.None, matchTimeoutMilliseconds: Infrastructure.RegexTimeout.Milliseconds)]
    private static partial Regex ColourPattern();

    public async Task<IReadOnlyList<PractitionerRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Practitioners.AsNoTracking().OrderBy(p => p.DisplayName)
            .Select(p => new PractitionerRow(p.Id, p.DisplayName, p.Credentials, p.Colour, p.IsActive, p.StaffUserId,
                db.Users.Where(u => u.Id == p.StaffUserId).Select(u => u.DisplayName).FirstOrDefault(), p.Version))
            .ToListAsync(ct);
    }

    public async Task<IReadOnlyList<StaffAccountChoice>> StaffAccountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var staffRoleIds = await db.Roles.Where(r => StaffRoles.All.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
        return await db.Users.AsNoTracking().Where(u => db.UserRoles.Any(r => r.UserId == u.Id && staffRoleIds.Contains(r.RoleId)))
            .OrderBy(u => u.DisplayName).Take(500).Select(u => new StaffAccountChoice(u.Id, u.DisplayName)).ToListAsync(ct);
    }

    public static string? Problem(PractitionerForm form, out string? field)
    {
        field = nameof(form.DisplayName);
        if (string.IsNullOrWhiteSpace(form.DisplayName))
            return "Enter the practitioner's name as clients see it, e.g. Dr. Chen.";
        if (form.DisplayName.Trim().Length > MaxNameLength)
            return $"The name can be at most {MaxNameLength} characters.";
        field = nameof(form.Credentials);
        if (form.Credentials?.Trim().Length > MaxCredentialsLength)
            return $"Credentials can be at most {MaxCredentialsLength} characters.";
        field = nameof(form.Colour);
        if (form.Colour is null || !ColourPattern().IsMatch(form.Colour))
            return "Choose a colour as #RRGGBB, e.g. #1565C0.";
        field = null;
        return null;
    }

    public async Task<AdminSaveResult> SaveAsync(PractitionerForm form, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return new AdminSaveResult(false, AdminsOnly);
        if (Problem(form, out var field) is { } problem)
            return new AdminSaveResult(false, problem, field);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await WriteLock.BeginClinicWideAsync(db, ct);
        var staffUserId = string.IsNullOrEmpty(form.StaffUserId) ? null : form.StaffUserId;
        if (staffUserId is not null)
        {
            if (!(await StaffAccountsAsync(ct)).Any(s => s.UserId == staffUserId))
                return new AdminSaveResult(false, "That staff account no longer exists. Pick another.", nameof(form.StaffUserId));
            var other = await db.Practitioners.AsNoTracking().Where(p => p.StaffUserId == staffUserId && p.Id != form.Id).Select(p => p.DisplayName).FirstOrDefaultAsync(ct);
            if (other is not null)
                return new AdminSaveResult(false, $"That staff account is already linked to {other}: one practitioner per staff account.", nameof(form.StaffUserId));
        }
        Practitioner practitioner;
        if (form.Id is { } id)
        {
            practitioner = await db.Practitioners.SingleOrDefaultAsync(p => p.Id == id, ct)
                ?? throw new InvalidOperationException("Practitioner not found");
            if (practitioner.Version != form.Version)
                return new AdminSaveResult(false, "Someone else changed this practitioner while you were editing. Close and open it again.");
            practitioner.Version++;
        }
        else
            practitioner = db.Practitioners.Add(new Practitioner()).Entity;
        practitioner.DisplayName = form.DisplayName.Trim();
        practitioner.Credentials = string.IsNullOrWhiteSpace(form.Credentials) ? null : form.Credentials.Trim();
        practitioner.Colour = form.Colour.ToUpperInvariant();
        practitioner.IsActive = form.IsActive;
        practitioner.StaffUserId = staffUserId;
        audit.Add(db, actor, AuditActions.PractitionerSave, null, AuditOutcome.Succeeded,
            $"{(form.Id is null ? "Added" : $"Practitioner {form.Id}")}; {(form.IsActive ? "active" : "inactive")}");
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new AdminSaveResult(false, "Someone else changed this practitioner while you were editing. Close and open it again.");
        }
        return new AdminSaveResult(true, $"{practitioner.DisplayName} saved.");
    }
}
