using PortalApp.Security;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Features.Caregivers;
using PortalApp.Features.Clinic;
using PortalApp.Features.Invites;

namespace PortalApp.Features.Registration;

/// <summary>
/// Turns an invite link into portal access: a new account, or (when the email already has one) that account given
/// this portal too, so one person keeps one login. Opening the link (FindAsync) changes nothing, so mail scanners
/// that prefetch links cannot burn it; only a submitted form uses it, once.
/// </summary>
public sealed class RegistrationService(
    PortalDbContext db, UserManager<PortalUser> users, SignInManager<PortalUser> signIn, ClinicSettingsService clinic, ClinicClock clock, AuditLog audit,
    ILogger<RegistrationService> logger)
{
    public const int MaxIdentityChecks = 5;

    public async Task<RegistrationView?> FindAsync(string? token, CancellationToken ct = default)
    {
        var invite = await UsableInviteAsync(token, ct);
        if (invite is null)
            return null;
        var (firstName, email) = Invitee(invite);
        var caregiver = invite.CaregiverAccess is { } access
            ? new CaregiverInviteView(invite.Client.PreferredName ?? invite.Client.FirstName, $"{invite.Client.FirstName} {invite.Client.LastName}",
                CaregiverText.PatientAsSeenByCaregiver(access.Relationship), CaregiverText.LevelInWords(access.Level))
            : null;
        return new RegistrationView((await clinic.GetAsync(ct)).Name, firstName, email, caregiver, await users.FindByEmailAsync(email) is not null);
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
            return Invalid("DateOfBirth", preview.CaregiverAccess is null ? "Enter your date of birth." : $"Enter {preview.Client.FirstName}'s date of birth.");
        var (_, email) = Invitee(preview);
        var existing = await users.FindByEmailAsync(email);
        return existing is null
            ? await CreateAccountAsync(token!, preview, form, dateOfBirth, ct)
            : await LinkAccountAsync(token!, preview, existing, form, dateOfBirth, ct);
    }

    private async Task<RegistrationResult> CreateAccountAsync(string token, PortalInvite preview, RegistrationForm form, DateOnly dateOfBirth, CancellationToken ct)
    {
        var errors = await PasswordAndTermsProblemsAsync(preview, form, ct);
        if (errors.Count > 0)
            return new RegistrationResult.Invalid(errors);
        var now = clock.UtcNow;
        var (_, email) = Invitee(preview);
        var user = new PortalUser
        {
            UserName = email, Email = email, EmailConfirmed = true,
            DisplayName = preview.CaregiverAccess?.FullName ?? $"{preview.Client.FirstName} {preview.Client.LastName}",
            ClientId = preview.CaregiverAccess is null ? preview.Client.Id : null,
            CreatedAtUtc = now,
        };
        user.PasswordHash = users.PasswordHasher.HashPassword(user, form.Password!);
        db.ChangeTracker.Clear();

        // Parallel submits of one link queue here; the first uses it, the rest find it used.
        await using var tx = await WriteLock.BeginAsync<PortalInvite>(db, preview.Id, ct);
        var invite = await UsableInviteAsync(token, ct);
        if (invite is null || invite.Id != preview.Id)
            return new RegistrationResult.Unusable();
        if (dateOfBirth != invite.Client.DateOfBirth)
            return await WrongDateOfBirthAsync(invite, tx, ct);
        // Inside the transaction: a registration of the caregiver's own card cannot slip in between.
        if (invite.CaregiverAccess is { } access)
            user.ClientId = await CaregiversOwnCardAsync(access, ct);

        var justCreated = $"A portal account was just created with {MaskedEmail.Of(user.Email!)}. Open your link again to sign in with it and add this portal.";
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(user);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
        {
            // Two links to one address registered at the same moment (PostgreSQL locks each link, not the address):
            // the unique user-name index lets one through, and this one hears what the slower of two always hears.
            return Invalid("Email", justCreated);
        }
        if (!created.Succeeded)
            return Invalid("Email", created.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName")
                ? justCreated
                : string.Join(" ", created.Errors.Select(e => e.Description)));
        // The role row goes in with the invite's update below: one save instead of AddToRoleAsync's look-ups and two.
        var portalRole = await db.Roles.Where(r => r.Name == StaffRoles.Patient).Select(r => r.Id).SingleAsync(ct);
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = portalRole });
        if (invite.CaregiverAccess is not null && user.ClientId is { } ownCard)
            await CloseOwnInvitesAsync(ownCard, now, ct);
        Complete(invite, user.Id, now, linked: false);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Invite {InviteId} used: new portal account", invite.Id);
        return new RegistrationResult.Registered(user.Id, invite.ClientId);
    }

    /// <summary>The email already has a portal account: its owner proves it with their password, and the account gains this portal.</summary>
    private async Task<RegistrationResult> LinkAccountAsync(string token, PortalInvite preview, PortalUser existing, RegistrationForm form, DateOnly dateOfBirth, CancellationToken ct)
    {
        // The account may be this very link's, made by a parallel submit since our first look: the account and the used
        // invite commit together, so the invite read again says so, and the answer is the used-link page.
        var hash = SecretTokens.Hash(token);
        if (!await db.PortalInvites.AsNoTracking().AnyAsync(i => i.TokenHash == hash && i.Status == InviteStatus.Pending, ct))
            return new RegistrationResult.Unusable();
        var settings = await clinic.GetAsync(ct);
        if (!await users.IsInRoleAsync(existing, StaffRoles.Patient))
            return Invalid("Email", $"This email address belongs to a {settings.Name} staff account, which cannot use the patient portal. Call {settings.Name}.");
        if (preview.CaregiverAccess is null && existing.ClientId is not null)
            return Invalid("Email", $"A portal account already uses this email address. Sign in with it, or call {settings.Name}.");
        if (preview.CaregiverAccess is not null && !form.AcceptTerms)
            return Invalid("AcceptTerms", $"Confirm that you may see {preview.Client.FirstName}'s portal.");
        if (form.Password is { Length: > PasswordRules.MaxLength })
            return Invalid("Password", $"A portal password has at most {PasswordRules.MaxLength} characters.");
        var password = await signIn.CheckPasswordSignInAsync(existing, form.Password ?? "", lockoutOnFailure: true);
        if (!password.Succeeded)
            return Invalid("Password", password.IsLockedOut
                ? "Your portal account is locked for a few minutes after too many wrong passwords. Try again later."
                : $"That is not the password of the portal account for {MaskedEmail.Of(existing.Email ?? "")}. If you forgot it, use \"Forgot your password?\" on the sign-in page first.");

        var now = clock.UtcNow;
        db.ChangeTracker.Clear();
        await using var tx = await WriteLock.BeginAsync<PortalInvite>(db, preview.Id, ct);
        var invite = await UsableInviteAsync(token, ct);
        if (invite is null || invite.Id != preview.Id)
            return new RegistrationResult.Unusable();
        if (dateOfBirth != invite.Client.DateOfBirth)
            return await WrongDateOfBirthAsync(invite, tx, ct);
        if (invite.CaregiverAccess is null)
        {
            // A caregiver who is now invited as a patient: their one account also opens their own record.
            var updated = await db.Users.Where(u => u.Id == existing.Id && u.ClientId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.ClientId, invite.ClientId), ct);
            if (updated == 0)
                return new RegistrationResult.Unusable();
        }
        Complete(invite, existing.Id, now, linked: true);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Invite {InviteId} used: linked to an existing portal account", invite.Id);
        return new RegistrationResult.Registered(existing.Id, invite.ClientId, Linked: true);
    }

    private void Complete(PortalInvite invite, string userId, DateTime now, bool linked)
    {
        invite.Status = InviteStatus.Registered;
        invite.EndedAtUtc = now;
        if (invite.CaregiverAccess is { } access)
        {
            access.Status = CaregiverAccessStatus.Active;
            access.PortalUserId = userId;
            access.ActivatedAtUtc = now;
        }
        audit.Add(db, null, invite.CaregiverAccess is null ? AuditActions.PatientRegister : AuditActions.CaregiverRegister, invite.ClientId, AuditOutcome.Succeeded,
            $"Invite {invite.Id}{(linked ? ": added to an existing portal account" : "")}");
    }

    /// <summary>
    /// A caregiver picked from their own client card gets their own record in the same account, when the card is
    /// active, has the invite's email and has no account yet: one person, one login.
    /// </summary>
    private async Task<int?> CaregiversOwnCardAsync(CaregiverAccess access, CancellationToken ct)
    {
        if (access.CaregiverClientId is not { } cardId)
            return null;
        var card = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == cardId, ct);
        var today = await clock.TodayAsync(ct);
        if (card is null || card.IsEndedOn(today) || card.Email is null || EmailAddressRules.Normalize(card.Email) != access.NormalizedEmail)
            return null;
        return await db.Users.AnyAsync(u => u.ClientId == cardId, ct) ? null : cardId;
    }

    private async Task CloseOwnInvitesAsync(int clientId, DateTime now, CancellationToken ct)
    {
        foreach (var own in await db.PortalInvites.OwnedBy(clientId).Where(i => i.Status == InviteStatus.Pending).ToListAsync(ct))
        {
            own.Status = InviteStatus.Superseded;
            own.EndedAtUtc = now;
            own.EndedByName = "Registered through a caregiver invite";
        }
    }

    /// <summary>A registration refused because the client card is end-dated is audited; the patient still sees the generic page.</summary>
    public async Task RecordRefusedAttemptAsync(string? token, CancellationToken ct = default)
    {
        if (token is not { Length: 43 })
            return;
        var hash = SecretTokens.Hash(token);
        var invite = await db.PortalInvites.AsNoTracking().Include(i => i.Client).SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invite is { Status: InviteStatus.Pending } && invite.Client.IsEndedOn(await clock.TodayAsync(ct)))
        {
            audit.Add(db, null, invite.CaregiverAccessId is null ? AuditActions.PatientRegister : AuditActions.CaregiverRegister, invite.ClientId, AuditOutcome.Refused, "Client end-dated");
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task<Dictionary<string, string>> PasswordAndTermsProblemsAsync(PortalInvite invite, RegistrationForm form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var settings = await clinic.GetAsync(ct);
        var client = invite.Client;
        string[] words = invite.CaregiverAccess is { } access
            ? [access.FirstName, access.LastName, access.Email, client.FirstName, client.LastName, settings.Name]
            : [client.FirstName, client.LastName, client.PreferredName ?? "", client.Email!, settings.Name];
        if (PasswordRules.Problem(form.Password, words) is { } weak)
            errors["Password"] = weak;
        else if (form.Password != form.ConfirmPassword)
            errors["ConfirmPassword"] = "The two passwords are not the same.";
        if (!form.AcceptTerms)
            errors["AcceptTerms"] = invite.CaregiverAccess is null
                ? $"Accept {settings.Name}'s portal terms to register."
                : $"Confirm that you may see {client.FirstName}'s portal, and accept {settings.Name}'s portal terms.";
        return errors;
    }

    private async Task<RegistrationResult> WrongDateOfBirthAsync(PortalInvite invite, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken ct)
    {
        invite.FailedIdentityChecks++;
        var allowed = invite.CaregiverAccess is null ? MaxIdentityChecks : (await clinic.GetAsync(ct)).CaregiverIdentityChecks;
        var left = allowed - invite.FailedIdentityChecks;
        if (left <= 0)
        {
            invite.Status = InviteStatus.Locked;
            invite.EndedAtUtc = clock.UtcNow;
        }
        audit.Add(db, null, invite.CaregiverAccess is null ? AuditActions.PatientIdentityCheck : AuditActions.CaregiverIdentityCheck, invite.ClientId,
            left <= 0 ? AuditOutcome.Refused : AuditOutcome.Failed,
            left <= 0 ? $"Invite {invite.Id} locked" : $"Invite {invite.Id}: wrong date of birth");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return left <= 0 ? new RegistrationResult.Locked() : new RegistrationResult.WrongDateOfBirth(left);
    }

    /// <summary>Whom the invite speaks to: the patient, or the caregiver it was sent to.</summary>
    private static (string FirstName, string Email) Invitee(PortalInvite invite) => invite.CaregiverAccess is { } access
        ? (access.FirstName, access.Email)
        : (invite.Client.PreferredName ?? invite.Client.FirstName, invite.Client.Email!);

    private async Task<PortalInvite?> UsableInviteAsync(string? token, CancellationToken ct)
    {
        // A real token is 43 base64url characters; anything else is not worth a database look-up.
        if (token is not { Length: 43 })
            return null;
        var hash = SecretTokens.Hash(token);
        var invite = await db.PortalInvites.Include(i => i.Client)
            .Include(i => i.CaregiverAccess).ThenInclude(a => a!.CaregiverClient)
            .Include(i => i.CaregiverAccess).ThenInclude(a => a!.PatientClient)
            .SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invite is not { Status: InviteStatus.Pending } || invite.ExpiresAtUtc <= clock.UtcNow)
            return null;
        var today = await clock.TodayAsync(ct);
        if (invite.Client.IsEndedOn(today))
            return null;
        // A link works only for the address it was sent to: corrected since, it may be in someone else's inbox.
        if (invite.CaregiverAccess is { } access)
            return access.Status == CaregiverAccessStatus.Invited && access.PauseOn(today) == CaregiverAccessPause.None
                && EmailAddressRules.Same(invite.SentToEmail, access.Email) ? invite : null;
        return EmailAddressRules.IsValid(invite.Client.Email) && EmailAddressRules.Same(invite.SentToEmail, invite.Client.Email) ? invite : null;
    }

    private static RegistrationResult.Invalid Invalid(string field, string message) => new(new Dictionary<string, string> { [field] = message });
}
