using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Security;

namespace PortalApp.Components.Account;

public abstract record StaffSignInResult
{
    public sealed record SignedIn : StaffSignInResult;
    /// <summary>The password was right; the authenticator code comes next (/account/sign-in/two-factor).</summary>
    public sealed record SecondFactorNeeded : StaffSignInResult;
    /// <summary>The password was right; the clinic requires two-factor and this person has none yet (/account/two-factor).</summary>
    public sealed record TwoFactorSetupNeeded : StaffSignInResult;
    /// <summary>One answer for every failure: unknown email, patient account, wrong password, locked, disabled.</summary>
    public sealed record Failed : StaffSignInResult;
    public sealed record Throttled(DateTimeOffset RetryAt) : StaffSignInResult;
}

/// <summary>
/// Staff password sign-in. Every attempt does the same work whatever the email (one PBKDF2 verification against the
/// account's hash or a dummy one), is throttled per typed email, and is audited when it names a staff account;
/// failures for other emails are only counted. Lockout (5 failures, 15 minutes) does not apply to a browser the
/// person has signed in from before, and the person is emailed a link that lifts it for the browser they use.
/// </summary>
public sealed class StaffSignInService(
    SignInManager<PortalUser> signIn, UserManager<PortalUser> users, PasswordCheck passwords, SignInThrottle throttle, FailedSignIns failures,
    TrustedBrowsers trustedBrowsers, AccountLinks links, IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit,
    ClinicSettingsService clinic, TimeProvider time, IOptions<IdentityOptions> identity, ILogger<StaffSignInService> logger)
{
    private sealed record Candidate(string Id, string DisplayName, string? PasswordHash, DateTimeOffset? LockoutEnd, DateTime? DisabledAtUtc, bool TwoFactorEnabled, List<string> Roles)
    {
        public bool IsStaff => Roles.Any(StaffRoles.All.Contains);
    }

    public async Task<StaffSignInResult> SignInAsync(HttpContext http, string? email, string? password, CancellationToken ct = default)
    {
        email = (email ?? "").Trim();
        password ??= "";
        if (throttle.TryAcquire(email) is { } retryAt)
            return new StaffSignInResult.Throttled(retryAt);

        var candidate = email.Length is > 0 and <= 254 ? await FindAsync(email, ct) : null;
        var staff = candidate is { IsStaff: true } ? candidate : null;
        // Always exactly one verification; a password longer than any allowed one is checked as an empty one.
        var passwordOk = passwords.Verify(null, staff?.PasswordHash, password.Length <= PasswordRules.MaxLength ? password : "");
        var now = time.GetUtcNow();

        if (staff is null)
        {
            await failures.CountAsync(SessionKind.Staff, ct);
            logger.LogInformation("Staff sign-in failed: no staff account with that email");
            return new StaffSignInResult.Failed();
        }
        var actor = new StaffActor(staff.Id, staff.DisplayName);
        if (staff.DisabledAtUtc is not null)
            return await RefuseAsync(actor, "Account disabled", ct);
        if (staff.LockoutEnd > now && !trustedBrowsers.IsTrusted(http, staff.Id))
            return await RefuseAsync(actor, "Account locked after repeated failures", ct);
        if (!passwordOk)
            return await FailAsync(actor, staff.PasswordHash is null ? "No password set yet (invited)" : "Wrong password", ct);

        await ResetFailuresAsync(staff.Id, ct);
        var user = await users.FindByIdAsync(staff.Id) ?? throw new InvalidOperationException("The account vanished during sign-in.");
        var settings = await clinic.GetAsync(ct);
        if (staff.TwoFactorEnabled && !(settings.RememberTwoFactorComputers && await signIn.IsTwoFactorClientRememberedAsync(user)))
        {
            var pending = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
            pending.AddClaim(new Claim(ClaimTypes.Name, user.Id));
            await http.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(pending));
            return new StaffSignInResult.SecondFactorNeeded();
        }
        if (!staff.TwoFactorEnabled && settings.RequiresTwoFactor(staff.Roles))
        {
            await SignInForTwoFactorSetupAsync(http, user);
            await AuditAsync(actor, AuditOutcome.Succeeded, "Password accepted; two-factor set-up required before anything else", ct);
            return new StaffSignInResult.TwoFactorSetupNeeded();
        }
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", staff.TwoFactorEnabled ? "mfa" : "pwd")]);
        await CompleteAsync(http, user, staff.TwoFactorEnabled ? "Remembered computer" : "Password", ct);
        return new StaffSignInResult.SignedIn();
    }

    /// <summary>After the last step of any sign-in: last sign-in time, this browser trusted, audited.</summary>
    public async Task CompleteAsync(HttpContext http, PortalUser user, string how, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAtUtc, time.GetUtcNow().UtcDateTime), ct);
        audit.Add(db, new StaffActor(user.Id, user.DisplayName), AuditActions.SignIn, null, AuditOutcome.Succeeded, how);
        await db.SaveChangesAsync(ct);
        trustedBrowsers.Trust(http, user.Id);
        logger.LogInformation("Staff sign-in succeeded for user {UserId}", user.Id);
    }

    /// <summary>A cookie that opens only the two-factor set-up page: no roles, so no staff page would let it in anyway.</summary>
    public async Task SignInForTwoFactorSetupAsync(HttpContext http, PortalUser user)
    {
        var options = identity.Value.ClaimsIdentity;
        var claims = new ClaimsIdentity(IdentityConstants.ApplicationScheme, options.UserNameClaimType, options.RoleClaimType);
        claims.AddClaim(new Claim(options.UserIdClaimType, user.Id));
        claims.AddClaim(new Claim(options.UserNameClaimType, user.UserName ?? user.Id));
        claims.AddClaim(new Claim(options.SecurityStampClaimType, user.SecurityStamp ?? ""));
        claims.AddClaim(new Claim(StaffActor.DisplayNameClaim, user.DisplayName));
        claims.AddClaim(new Claim(StaffSessionCheck.TwoFactorSetupClaim, "required"));
        await http.SignInAsync(IdentityConstants.ApplicationScheme, new ClaimsPrincipal(claims));
    }

    public async Task SignOutAsync(HttpContext http, StaffActor? actor, CancellationToken ct = default)
    {
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        if (actor is null)
            return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        audit.Add(db, actor, AuditActions.SignOut, null, AuditOutcome.Succeeded);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>One query whatever the email, so an unknown address costs the database what a real one does.</summary>
    private async Task<Candidate?> FindAsync(string email, CancellationToken ct)
    {
        var normalized = users.NormalizeEmail(email);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized)
            .Select(u => new Candidate(u.Id, u.DisplayName, u.PasswordHash, u.LockoutEnd, u.DisabledAtUtc, u.TwoFactorEnabled,
                db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name!).ToList()))
            .FirstOrDefaultAsync(ct);
    }

    private async Task<StaffSignInResult> RefuseAsync(StaffActor actor, string why, CancellationToken ct)
    {
        await AuditAsync(actor, AuditOutcome.Refused, why, ct);
        logger.LogInformation("Staff sign-in refused for user {UserId}", actor.UserId);
        return new StaffSignInResult.Failed();
    }

    /// <summary>
    /// Counts the failure with its audit row in one write transaction (SQLite takes the write lock at BEGIN), so wrong
    /// passwords arriving together lock the account once and email once; one that arrives while it is locked (it read
    /// the account before the lock) is only audited.
    /// </summary>
    private async Task<StaffSignInResult> FailAsync(StaffActor actor, string why, CancellationToken ct)
    {
        var lockout = identity.Value.Lockout;
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await WriteLock.BeginAsync<PortalUser>(db, actor.UserId, ct);
        var state = await db.Users.Where(u => u.Id == actor.UserId).Select(u => new { u.LockoutEnd, u.AccessFailedCount }).SingleAsync(ct);
        var alreadyLocked = state.LockoutEnd > now;
        var lockedNow = !alreadyLocked && state.AccessFailedCount + 1 >= lockout.MaxFailedAccessAttempts;
        if (!alreadyLocked)
            await db.Users.Where(u => u.Id == actor.UserId).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.AccessFailedCount, lockedNow ? 0 : state.AccessFailedCount + 1)
                .SetProperty(u => u.LockoutEnd, lockedNow ? now + lockout.DefaultLockoutTimeSpan : state.LockoutEnd), ct);
        audit.Add(db, actor, AuditActions.SignIn, null, alreadyLocked ? AuditOutcome.Refused : AuditOutcome.Failed,
            alreadyLocked ? "Account locked after repeated failures" : why);
        if (lockedNow)
        {
            audit.Add(db, actor, AuditActions.AccountLocked, null, AuditOutcome.Succeeded,
                $"Locked for {lockout.DefaultLockoutTimeSpan.TotalMinutes:0} minutes after {lockout.MaxFailedAccessAttempts} failed sign-ins; unlock link emailed");
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == actor.UserId, ct);
            if (user.Email is not null)
                await links.IssueAsync(db, user, AccountTokenPurpose.Unlock, "PortalApp", ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (lockedNow)
            links.WakeOutbox();
        logger.LogInformation("Staff sign-in failed for user {UserId}{Locked}", actor.UserId, lockedNow ? "; account locked" : "");
        return new StaffSignInResult.Failed();
    }

    private async Task ResetFailuresAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Users.Where(u => u.Id == userId && u.AccessFailedCount > 0).ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 0), ct);
    }

    private async Task AuditAsync(StaffActor actor, AuditOutcome outcome, string details, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        audit.Add(db, actor, AuditActions.SignIn, null, outcome, details);
        await db.SaveChangesAsync(ct);
    }
}
