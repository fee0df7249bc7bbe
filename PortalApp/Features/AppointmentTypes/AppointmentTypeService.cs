using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Practitioners;

namespace PortalApp.Features.AppointmentTypes;

public sealed class AppointmentTypeForm
{
    public int? Id { get; set; }
    public string Name { get; set; } = "";
    public int DefaultLengthMinutes { get; set; } = 30;
    public bool IsVideo { get; set; }
    public bool IsActive { get; set; } = true;
    public int Version { get; set; }
}

public sealed record AppointmentTypeRow(int Id, string Name, int DefaultLengthMinutes, bool IsVideo, bool IsActive, int Version)
{
    public AppointmentTypeForm ToForm() => new()
    {
        Id = Id, Name = Name, DefaultLengthMinutes = DefaultLengthMinutes, IsVideo = IsVideo, IsActive = IsActive, Version = Version,
    };
}

/// <summary>The Admin list of appointment types: what can be booked, for how long by default, in person or by video.</summary>
public sealed class AppointmentTypeService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit)
{
    public const int MaxNameLength = 100;
    public const string AdminsOnly = "Only admins can add or change appointment types.";

    public static string NameTaken(string name) => $"There is already an appointment type called \"{name}\". Choose another name, or edit that one.";

    public async Task<IReadOnlyList<AppointmentTypeRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AppointmentTypes.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new AppointmentTypeRow(t.Id, t.Name, t.DefaultLengthMinutes, t.IsVideo, t.IsActive, t.Version)).ToListAsync(ct);
    }

    public static string? Problem(AppointmentTypeForm form, out string? field)
    {
        field = nameof(form.Name);
        if (string.IsNullOrWhiteSpace(form.Name))
            return "Enter the type's name, e.g. Follow-up.";
        if (form.Name.Trim().Length > MaxNameLength)
            return $"The name can be at most {MaxNameLength} characters.";
        field = nameof(form.DefaultLengthMinutes);
        if (form.DefaultLengthMinutes is < AppointmentType.MinLengthMinutes or > AppointmentType.MaxLengthMinutes)
            return $"The default length must be {AppointmentType.MinLengthMinutes} to {AppointmentType.MaxLengthMinutes} minutes.";
        field = null;
        return null;
    }

    public async Task<AdminSaveResult> SaveAsync(AppointmentTypeForm form, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return new AdminSaveResult(false, AdminsOnly);
        if (Problem(form, out var field) is { } problem)
            return new AdminSaveResult(false, problem, field);
        var name = form.Name.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Names compare without case: "follow-up" next to "Follow-up" would confuse whoever books.
        var lower = name.ToLower();
        if (await db.AppointmentTypes.AnyAsync(t => t.Name.ToLower() == lower && t.Id != form.Id, ct))
            return new AdminSaveResult(false, NameTaken(name), nameof(form.Name));
        AppointmentType type;
        if (form.Id is { } id)
        {
            type = await db.AppointmentTypes.SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw new InvalidOperationException("Type not found");
            if (type.Version != form.Version)
                return new AdminSaveResult(false, "Someone else changed this type while you were editing. Close and open it again.");
            type.Version++;
        }
        else
            type = db.AppointmentTypes.Add(new AppointmentType()).Entity;
        type.Name = name;
        type.DefaultLengthMinutes = form.DefaultLengthMinutes;
        type.IsVideo = form.IsVideo;
        type.IsActive = form.IsActive;
        audit.Add(db, actor, AuditActions.AppointmentTypeSave, null, AuditOutcome.Succeeded,
            $"{(form.Id is null ? "Added" : $"Type {form.Id}")}; {form.DefaultLengthMinutes} min; {(form.IsActive ? "active" : "inactive")}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new AdminSaveResult(false, "Someone else changed this type while you were editing. Close and open it again.");
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
        {
            // The unique index caught a name saved by someone else since the check above.
            return new AdminSaveResult(false, NameTaken(name), nameof(form.Name));
        }
        return new AdminSaveResult(true, $"{type.Name} saved.");
    }
}
