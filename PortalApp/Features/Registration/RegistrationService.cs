using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Audit;
using PortalApp.Features.Clinic;
using PortalApp.Features.Invites;

namespace PortalApp.Features.Registration;

/// <summary>
/// Turns an invite link into a portal account. Opening the link (FindAsync) changes nothing, so mail scanners that
/// prefetch links cannot burn it; only a submitted form uses it, once.
/// </summary>
public sealed class RegistrationService(
    PortalDbContext db, UserManager<PortalUser> users, ClinicSettingsService clinic, ClinicClock clock, AuditLog audit,
    ILogger<RegistrationService> logger)
{
    public const int MaxIdentityChecks = 5;
    public const string RegisterAction = "patient.register";
    public const string IdentityCheckAction = "patient.identity-check";

    public async Task<RegistrationView?> FindAsync(string? token, CancellationToken ct = default)
    {
        var invite = await UsableInviteAsync(token, ct);
        return invite is null ? null : new RegistrationView((await clinic.GetAsync(ct)).Name, invite.Client.FirstName, invite.Client.Email!);
    }

    public async Task<RegistrationResult> RegisterAsync(string? token, RegistrationForm form, CancellationToken ct = default)
    {
        // Checks and the slow password hash (~50 ms of CPU) happen before the write transaction, so registrations
        // hash in parallel and hold the database's write lock only for their few writes.
        var preview = await UsableInviteAsync(token, ct);
        if (preview is null)
        {
            await RecordRefusedAttemptAsync(token, ct);
            return new RegistrationResult.Unusable();
        }
        if (!DateOnly.TryParseExact(form.DateOfBirth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateOfBirth))
            return Invalid("DateOfBirth", "Enter your date of birth.");
        var errors = await PasswordAndTermsProblemsAsync(preview.Client, form, ct);
        if (errors.Count > 0)
            return new RegistrationResult.Invalid(errors);
        var now = clock.UtcNow;
        var user = new PortalUser
        {
            UserName = preview.Client.Email, Email = preview.Client.Email, EmailConfirmed = true,
            DisplayName = $"{preview.Client.FirstName} {preview.Client.LastName}", ClientId = preview.Client.Id, CreatedAtUtc = now,
        };
        user.PasswordHash = users.PasswordHasher.HashPassword(user, form.Password!);
        db.ChangeTracker.Clear();

        // BEGIN IMMEDIATE: parallel submits of one link queue here; the first uses it, the rest find it used.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var invite = await UsableInviteAsync(token, ct);
        if (invite is null || invite.Id != preview.Id)
            return new RegistrationResult.Unusable();
        if (dateOfBirth != invite.Client.DateOfBirth)
            return await WrongDateOfBirthAsync(invite, tx, ct);

        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
            return Invalid("Email", string.Join(" ", created.Errors.Select(e => e.Description)));
        // The role row goes in with the invite's update below: one save instead of AddToRoleAsync's look-ups and two.
        var patientRole = await db.Roles.Where(r => r.Name == StaffRoles.Patient).Select(r => r.Id).SingleAsync(ct);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = patientRole });

        invite.Status = InviteStatus.Registered;
        invite.EndedAtUtc = now;
        audit.Add(db, null, RegisterAction, invite.ClientId, AuditOutcome.Succeeded, $"Invite {invite.Id}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Client {ClientId} registered for the portal", invite.ClientId);
        return new RegistrationResult.Registered(user.Id);
    }

    /// <summary>A registration refused because the client card is end-dated is audited; the patient still sees the generic page.</summary>
    public async Task RecordRefusedAttemptAsync(string? token, CancellationToken ct = default)
    {
        if (token is not { Length: 43 })
            return;
        var hash = InviteTokens.Hash(token);
        var invite = await db.PortalInvites.AsNoTracking().Include(i => i.Client).SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invite is { Status: InviteStatus.Pending } && invite.Client.IsEndedOn(await clock.TodayAsync(ct)))
        {
            audit.Add(db, null, RegisterAction, invite.ClientId, AuditOutcome.Refused, "Client end-dated");
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task<Dictionary<string, string>> PasswordAndTermsProblemsAsync(Client client, RegistrationForm form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var settings = await clinic.GetAsync(ct);
        if (PasswordRules.Problem(form.Password, [client.FirstName, client.LastName, client.PreferredName ?? "", client.Email!, settings.Name]) is { } weak)
            errors["Password"] = weak;
        else if (form.Password != form.ConfirmPassword)
            errors["ConfirmPassword"] = "The two passwords are not the same.";
        if (!form.AcceptTerms)
            errors["AcceptTerms"] = $"Accept {settings.Name}'s portal terms to register.";
        if (errors.Count == 0 && await users.FindByEmailAsync(client.Email!) is not null)
            errors["Email"] = $"A portal account already uses this email address. Sign in with it, or call {settings.Name}.";
        return errors;
    }

    private async Task<RegistrationResult> WrongDateOfBirthAsync(PortalInvite invite, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken ct)
    {
        invite.FailedIdentityChecks++;
        var left = MaxIdentityChecks - invite.FailedIdentityChecks;
        if (left <= 0)
        {
            invite.Status = InviteStatus.Locked;
            invite.EndedAtUtc = clock.UtcNow;
        }
        audit.Add(db, null, IdentityCheckAction, invite.ClientId, left <= 0 ? AuditOutcome.Refused : AuditOutcome.Failed,
            left <= 0 ? $"Invite {invite.Id} locked" : $"Invite {invite.Id}: wrong date of birth");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return left <= 0 ? new RegistrationResult.Locked() : new RegistrationResult.WrongDateOfBirth(left);
    }

    private async Task<PortalInvite?> UsableInviteAsync(string? token, CancellationToken ct)
    {
        // A real token is 43 base64url characters; anything else is not worth a database look-up.
        if (token is not { Length: 43 })
            return null;
        var hash = InviteTokens.Hash(token);
        var invite = await db.PortalInvites.Include(i => i.Client).SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invite is not { Status: InviteStatus.Pending } || invite.ExpiresAtUtc <= clock.UtcNow)
            return null;
        if (invite.Client.IsEndedOn(await clock.TodayAsync(ct)) || !EmailAddressRules.IsValid(invite.Client.Email))
            return null;
        return invite;
    }

    private static RegistrationResult.Invalid Invalid(string field, string message) => new(new Dictionary<string, string> { [field] = message });
}
