using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Audit;

namespace PortalApp.Components.Account;

public enum StaffSignInResult
{
    SignedIn,
    Failed,
}

/// <summary>Staff password sign-in with lockout, audited either way. Portal (patient) accounts cannot sign in here.</summary>
public sealed class StaffSignInService(
    SignInManager<PortalUser> signIn,
    UserManager<PortalUser> users,
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditLog audit,
    ILogger<StaffSignInService> logger)
{
    public async Task<StaffSignInResult> SignInAsync(string email, string password, CancellationToken ct = default)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        var isStaff = user is not null && (await users.GetRolesAsync(user)).Any(StaffRoles.All.Contains);
        SignInResult result = SignInResult.Failed;
        if (user is not null && isStaff)
            result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);

        var actor = user is null ? null : new StaffActor(user.Id, user.DisplayName);
        var (outcome, details) = result switch
        {
            { Succeeded: true } => (AuditOutcome.Succeeded, (string?)null),
            { IsLockedOut: true } => (AuditOutcome.Refused, "Account locked after repeated failures"),
            _ when user is null => (AuditOutcome.Failed, "No account with that email"),
            _ when !isStaff => (AuditOutcome.Refused, "Not a staff account"),
            _ => (AuditOutcome.Failed, "Wrong password"),
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            audit.Add(db, actor, AuditActions.SignIn, null, outcome, details);
            await db.SaveChangesAsync(ct);
        }

        if (!result.Succeeded)
        {
            logger.LogInformation("Staff sign-in {Outcome}", outcome);
            return StaffSignInResult.Failed;
        }
        await signIn.SignInAsync(user!, isPersistent: false);
        logger.LogInformation("Staff sign-in succeeded for user {UserId}", user!.Id);
        return StaffSignInResult.SignedIn;
    }

    public async Task SignOutAsync(StaffActor? actor, CancellationToken ct = default)
    {
        await signIn.SignOutAsync();
        if (actor is null)
            return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        audit.Add(db, actor, AuditActions.SignOut, null, AuditOutcome.Succeeded);
        await db.SaveChangesAsync(ct);
    }
}
