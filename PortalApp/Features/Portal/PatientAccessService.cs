using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Audit;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Portal;

public enum PatientSignInResult
{
    SignedIn,
    Failed,
    AccessEnded,
}

/// <summary>Portal email + password sign-in: lockout, one message for every failure, refused once the account may see nobody.</summary>
public sealed class PatientAccessService(
    UserManager<PortalUser> users, SignInManager<PortalUser> signIn, PatientSignInService cookies,
    IDbContextFactory<PortalDbContext> dbFactory, ClinicClock clock, AuditLog audit, ILogger<PatientAccessService> logger)
{
    public async Task<PatientSignInResult> SignInAsync(HttpContext context, string email, string password, CancellationToken ct = default)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null || !await users.IsInRoleAsync(user, StaffRoles.Patient))
        {
            // Same work and answer as a wrong password: nothing tells whether an account exists.
            users.PasswordHasher.HashPassword(new PortalUser(), password);
            return PatientSignInResult.Failed;
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!result.Succeeded)
        {
            audit.Add(db, null, AuditActions.PatientSignIn, user.ClientId, AuditOutcome.Failed, result.IsLockedOut ? "Locked out" : "Wrong password");
            await db.SaveChangesAsync(ct);
            return PatientSignInResult.Failed;
        }
        if (await PortalAccountQuery.LoadAsync(db, user.Id, null, await clock.TodayAsync(ct), ct) is not { HasAccess: true })
        {
            audit.Add(db, null, AuditActions.PatientSignIn, user.ClientId, AuditOutcome.Refused, "Portal access ended");
            await db.SaveChangesAsync(ct);
            return PatientSignInResult.AccessEnded;
        }
        audit.Add(db, null, AuditActions.PatientSignIn, user.ClientId, AuditOutcome.Succeeded);
        await db.SaveChangesAsync(ct);
        await cookies.SignInAsync(context, user);
        logger.LogInformation("Portal account {UserId} signed in", user.Id);
        return PatientSignInResult.SignedIn;
    }
}
