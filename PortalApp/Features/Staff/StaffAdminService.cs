using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PortalApp.Components.Account;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Security;

namespace PortalApp.Features.Staff;

/// <summary>
/// The admin's Staff page: invite, roles, practitioner record, disable and re-enable, unlock, password-reset link,
/// two-factor reset. Every change that takes access away ends the person's sessions at once (their open tabs within
/// 30 seconds). Role and status changes run in one write transaction each, so two admins acting at once can never
/// leave the clinic without an active admin.
/// </summary>
public sealed class StaffAdminService(
    IDbContextFactory<PortalDbContext> dbFactory, UserManager<PortalUser> users, AccountLinks links, StaffTwoFactorService twoFactor,
    UserSessions sessions, AuditLog audit, Clinic.ClinicSettingsService clinic, TimeProvider time, ILogger<StaffAdminService> logger)
{
    public async Task<StaffInviteResult> InviteAsync(StaffInviteForm form, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return Invalid("", StaffRules.NotAdmin);
        var errors = StaffRules.Validate(form);
        if (errors.Count > 0)
            return new StaffInviteResult.Invalid(errors);
        var email = form.Email.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await WriteLock.BeginClinicWideAsync(db, ct);
        var normalized = users.NormalizeEmail(email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct))
            return Invalid(nameof(form.Email), "An account with this email address already exists (a staff member or a patient). Staff need an address of their own.");
        if (await PractitionerProblemAsync(db, form.PractitionerId, null, ct) is { } practitionerProblem)
            return Invalid(nameof(form.PractitionerId), practitionerProblem);

        var user = new PortalUser
        {
            UserName = email, NormalizedUserName = users.NormalizeName(email), Email = email, NormalizedEmail = normalized,
            DisplayName = form.Name.Trim(), CreatedAtUtc = time.GetUtcNow().UtcDateTime, SecurityStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true,
        };
        db.Users.Add(user);
        await SetRolesAsync(db, user.Id, form.Roles, ct);
        if (form.PractitionerId is { } practitionerId)
            (await db.Practitioners.SingleAsync(p => p.Id == practitionerId, ct)).StaffUserId = user.Id;
        await links.IssueAsync(db, user, AccountTokenPurpose.StaffInvite, actor.DisplayName, ct);
        audit.Add(db, actor, AuditActions.StaffInvite, null, AuditOutcome.Succeeded, $"{user.DisplayName} as {string.Join(", ", form.Roles.Order())}");
        if (await SaveAsync(db, tx, ct) is Outcome.Refused refused)
            return Invalid("", refused.Reason);
        links.WakeOutbox();
        logger.LogInformation("Staff user {UserId} invited by {ActorId}", user.Id, actor.UserId);
        return new StaffInviteResult.Invited(user.Id);
    }

    public Task<Outcome> ResendInviteAsync(string userId, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(userId, actor, AuditActions.StaffInvite, async (db, user) =>
        {
            if (user.PasswordHash is not null)
                return Outcome.Refuse($"{user.DisplayName} has already set a password. Send a password-reset link instead.");
            await links.IssueAsync(db, user, AccountTokenPurpose.StaffInvite, actor.DisplayName, ct);
            return Outcome.Ok;
        }, endsSessions: false, ct);

    public Task<Outcome> ChangeRolesAsync(string userId, IReadOnlyCollection<string> roles, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(userId, actor, AuditActions.StaffRolesChange, async (db, user) =>
        {
            if (StaffRules.Roles(roles) is { } problem)
                return Outcome.Refuse(problem);
            if (!roles.Contains(StaffRoles.Admin) && !await AnotherActiveAdminAsync(db, user.Id, ct))
                return Outcome.Refuse(StaffRules.LastAdmin);
            await SetRolesAsync(db, user.Id, roles, ct);
            return Outcome.Ok;
        }, endsSessions: true, ct, details: $"Now {string.Join(", ", roles.Order())}");

    public Task<Outcome> LinkPractitionerAsync(string userId, int? practitionerId, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(userId, actor, AuditActions.StaffPractitionerLink, async (db, user) =>
        {
            if (await PractitionerProblemAsync(db, practitionerId, user.Id, ct) is { } problem)
                return Outcome.Refuse(problem);
            foreach (var linked in await db.Practitioners.Where(p => p.StaffUserId == user.Id).ToListAsync(ct))
                linked.StaffUserId = null;
            if (practitionerId is { } id)
                (await db.Practitioners.SingleAsync(p => p.Id == id, ct)).StaffUserId = user.Id;
            return Outcome.Ok;
        }, endsSessions: false, ct, details: practitionerId is null ? "No practitioner record" : $"Practitioner record {practitionerId}");

    public Task<Outcome> DisableAsync(string userId, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(userId, actor, AuditActions.StaffDisable, async (db, user) =>
        {
            if (user.Id == actor.UserId)
                return Outcome.Refuse("You cannot disable your own account. Ask another admin.");
            if (user.DisabledAtUtc is not null)
                return Outcome.Refuse($"{user.DisplayName}'s account is already disabled.");
            if (await IsAdminAsync(db, user.Id, ct) && !await AnotherActiveAdminAsync(db, user.Id, ct))
                return Outcome.Refuse(StaffRules.LastAdmin);
            user.DisabledAtUtc = time.GetUtcNow().UtcDateTime;
            return Outcome.Ok;
        }, endsSessions: true, ct);

    public Task<Outcome> EnableAsync(string userId, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(userId, actor, AuditActions.StaffEnable, (_, user) =>
        {
            if (user.DisabledAtUtc is null)
                return Task.FromResult(Outcome.Refuse($"{user.DisplayName}'s account is not disabled."));
            user.DisabledAtUtc = null;
            return Task.FromResult(Outcome.Ok);
        }, endsSessions: false, ct);

    public Task<Outcome> UnlockAsync(string userId, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(userId, actor, AuditActions.StaffUnlock, (_, user) =>
        {
            if (user.LockoutEnd is not { } end || end <= time.GetUtcNow())
                return Task.FromResult(Outcome.Refuse($"{user.DisplayName}'s account is not locked."));
            (user.LockoutEnd, user.AccessFailedCount) = (null, 0);
            return Task.FromResult(Outcome.Ok);
        }, endsSessions: false, ct);

    public Task<Outcome> SendPasswordResetAsync(string userId, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(userId, actor, AuditActions.StaffPasswordResetLink, async (db, user) =>
        {
            if (user.DisabledAtUtc is not null)
                return Outcome.Refuse($"{user.DisplayName}'s account is disabled. Re-enable it first.");
            if (user.PasswordHash is null)
                return Outcome.Refuse($"{user.DisplayName} has not accepted the invite yet. Re-send the invite instead.");
            await links.IssueAsync(db, user, AccountTokenPurpose.PasswordReset, actor.DisplayName, ct);
            return Outcome.Ok;
        }, endsSessions: false, ct);

    /// <summary>The command line's first admin (or another): same password rules as everyone, audited.</summary>
    public async Task<Outcome> CreateAdminAsync(string email, string name, string password, StaffActor actor, CancellationToken ct = default)
    {
        if (StaffRules.Name(name) is { } nameProblem)
            return Outcome.Refuse(nameProblem);
        if (PasswordRules.Problem(password, [name, email, (await clinic.GetAsync(ct)).Name]) is { } weak)
            return Outcome.Refuse(weak);
        var user = new PortalUser
        {
            UserName = email, Email = email, EmailConfirmed = true, DisplayName = name.Trim(), CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user, password);
        if (created.Succeeded)
            created = await users.AddToRoleAsync(user, StaffRoles.Admin);
        if (!created.Succeeded)
            return Outcome.Refuse("The admin was not created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        await AuditAsync(actor, AuditActions.StaffCreate, $"{user.DisplayName} as Admin", ct);
        return Outcome.Ok;
    }

    /// <summary>A new password typed by someone with the server in hand: the account is unlocked and its sessions end.</summary>
    public async Task<Outcome> SetPasswordAsync(string userId, string password, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return Outcome.Refuse(StaffRules.NotAdmin);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return Outcome.Refuse(StaffRules.Gone);
        if (PasswordRules.Problem(password, [user.DisplayName, user.Email ?? "", (await clinic.GetAsync(ct)).Name]) is { } weak)
            return Outcome.Refuse(weak);
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        (user.LockoutEnd, user.AccessFailedCount) = (null, 0);
        await users.UpdateSecurityStampAsync(user);
        await sessions.EndAllAsync(user.Id, SessionEndReason.AccountChanged, ct);
        await AuditAsync(actor, AuditActions.StaffPasswordSet, $"{user.DisplayName}: new password set", ct);
        return Outcome.Ok;
    }

    /// <summary>For a lost phone: two-factor off, key and recovery codes gone; where the clinic requires it, set up again at next sign-in.</summary>
    public async Task<Outcome> ResetTwoFactorAsync(string userId, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return Outcome.Refuse(StaffRules.NotAdmin);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return Outcome.Refuse(StaffRules.Gone);
        if (!user.TwoFactorEnabled)
            return Outcome.Refuse($"{user.DisplayName} has no two-factor set up.");
        await twoFactor.TurnOffAsync(user);
        await sessions.EndAllAsync(user.Id, SessionEndReason.AccountChanged, ct);
        await AuditAsync(actor, AuditActions.StaffTwoFactorReset, user.DisplayName, ct);
        return Outcome.Ok;
    }

    private async Task AuditAsync(StaffActor actor, string action, string details, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        audit.Add(db, actor, action, null, AuditOutcome.Succeeded, details);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// One admin action on one account, in one write transaction: refused or done and audited together. When it takes
    /// access away, the account's security stamp changes and its sessions end.
    /// </summary>
    private async Task<Outcome> ChangeAsync(string userId, StaffActor actor, string action, Func<PortalDbContext, PortalUser, Task<Outcome>> change,
        bool endsSessions, CancellationToken ct, string? details = null)
    {
        if (!actor.IsAdmin)
            return Outcome.Refuse(StaffRules.NotAdmin);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Clinic-wide: two admins demoting each other at once must not leave the clinic without one.
        await using var tx = await WriteLock.BeginClinicWideAsync(db, ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null || !await db.UserRoles.AnyAsync(r => r.UserId == userId && db.Roles.Any(x => x.Id == r.RoleId && StaffRoles.All.Contains(x.Name!)), ct))
            return Outcome.Refuse(StaffRules.Gone);
        if (await change(db, user) is Outcome.Refused refused)
        {
            audit.Add(db, actor, action, null, AuditOutcome.Refused, $"{user.DisplayName}: {refused.Reason}");
            await SaveAsync(db, tx, ct);
            return refused;
        }
        if (endsSessions)
            user.SecurityStamp = Guid.NewGuid().ToString();
        audit.Add(db, actor, action, null, AuditOutcome.Succeeded, details is null ? user.DisplayName : $"{user.DisplayName}: {details}");
        if (await SaveAsync(db, tx, ct) is Outcome.Refused notSaved)
            return notSaved;
        if (endsSessions)
            await sessions.EndAllAsync(user.Id, SessionEndReason.AccountChanged, ct);
        links.WakeOutbox();
        return Outcome.Ok;
    }

    private static async Task<Outcome> SaveAsync(PortalDbContext db, IDbContextTransaction tx, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return Outcome.Ok;
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return Outcome.Refuse(DatabaseFailures.Message);
        }
    }

    private static async Task SetRolesAsync(PortalDbContext db, string userId, IEnumerable<string> roles, CancellationToken ct)
    {
        var wanted = await db.Roles.Where(r => roles.Contains(r.Name!) && StaffRoles.All.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
        var current = await db.UserRoles.Where(r => r.UserId == userId).ToListAsync(ct);
        db.UserRoles.RemoveRange(current.Where(r => !wanted.Contains(r.RoleId)));
        db.UserRoles.AddRange(wanted.Where(id => current.All(r => r.RoleId != id)).Select(id => new IdentityUserRole<string> { UserId = userId, RoleId = id }));
    }

    private static Task<bool> IsAdminAsync(PortalDbContext db, string userId, CancellationToken ct) =>
        db.UserRoles.AnyAsync(r => r.UserId == userId && db.Roles.Any(x => x.Id == r.RoleId && x.Name == StaffRoles.Admin), ct);

    /// <summary>An admin other than <paramref name="userId"/> who can sign in: not disabled, with a password.</summary>
    private static Task<bool> AnotherActiveAdminAsync(PortalDbContext db, string userId, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.Id != userId && u.DisabledAtUtc == null && u.PasswordHash != null
            && db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(x => x.Id == r.RoleId && x.Name == StaffRoles.Admin)), ct);

    private static async Task<string?> PractitionerProblemAsync(PortalDbContext db, int? practitionerId, string? userId, CancellationToken ct)
    {
        if (practitionerId is not { } id)
            return null;
        var practitioner = await db.Practitioners.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct);
        return practitioner is null ? "That practitioner record no longer exists. Pick another."
            : practitioner.StaffUserId is { } linked && linked != userId ? $"{practitioner.DisplayName} is already linked to another staff account."
            : null;
    }

    private static StaffInviteResult.Invalid Invalid(string field, string message) => new(new Dictionary<string, string> { [field] = message });
}
