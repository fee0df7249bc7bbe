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

/// <summary>Patient email + password sign-in: lockout, one message for every failure, refused once the client card is end-dated.</summary>
public sealed class PatientAccessService(
    UserManager<PortalUser> users, SignInManager<PortalUser> signIn, PatientSignInService cookies,
    IDbContextFactory<PortalDbContext> dbFactory, ClinicClock clock, AuditLog audit, ILogger<PatientAccessService> logger)
{
    public const string SignInAction = "patient.sign-in";

    public async Task<PatientSignInResult> SignInAsync(HttpContext context, string email, string password, CancellationToken ct = default)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user?.ClientId is not { } clientId || !await users.IsInRoleAsync(user, StaffRoles.Patient))
        {
            // Same work and answer as a wrong password: nothing tells whether an account exists.
            users.PasswordHasher.HashPassword(new PortalUser(), password);
            return PatientSignInResult.Failed;
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!result.Succeeded)
        {
            audit.Add(db, null, SignInAction, clientId, AuditOutcome.Failed, result.IsLockedOut ? "Locked out" : "Wrong password");
            await db.SaveChangesAsync(ct);
            return PatientSignInResult.Failed;
        }
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == clientId, ct);
        if (client.IsEndedOn(await clock.TodayAsync(ct)))
        {
            audit.Add(db, null, SignInAction, clientId, AuditOutcome.Refused, "Client end-dated");
            await db.SaveChangesAsync(ct);
            return PatientSignInResult.AccessEnded;
        }
        audit.Add(db, null, SignInAction, clientId, AuditOutcome.Succeeded);
        await db.SaveChangesAsync(ct);
        await cookies.SignInAsync(context, user);
        logger.LogInformation("Patient of client {ClientId} signed in", clientId);
        return PatientSignInResult.SignedIn;
    }
}
