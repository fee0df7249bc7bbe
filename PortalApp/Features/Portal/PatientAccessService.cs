using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Security;

namespace PortalApp.Features.Portal;

public enum PatientSignInResult
{
    SignedIn,
    Failed,
    AccessEnded,
}

/// <summary>
/// Portal email + password sign-in: one message for every failure, refused once the account may see nobody. Every
/// attempt costs one password verification, also for an unknown email and a locked account, so the answer's timing
/// tells nothing; failures for unknown emails are counted, not audited one by one.
/// </summary>
public sealed class PatientAccessService(
    UserManager<PortalUser> users, PasswordCheck passwords, FailedSignIns failures, PatientSignInService cookies,
    IDbContextFactory<PortalDbContext> dbFactory, ClinicClock clock, AuditLog audit, ILogger<PatientAccessService> logger)
{
    public async Task<PatientSignInResult> SignInAsync(HttpContext context, string? email, string? password, CancellationToken ct = default)
    {
        email = (email ?? "").Trim();
        password ??= "";
        var user = email.Length is > 0 and <= Email.EmailAddressRules.MaxLength ? await users.FindByEmailAsync(email) : null;
        var patient = user is not null && await users.IsInRoleAsync(user, StaffRoles.Patient) ? user : null;
        var locked = patient is not null && await users.IsLockedOutAsync(patient);
        var passwordOk = passwords.Verify(patient, patient?.PasswordHash, password.Length <= PasswordRules.MaxLength ? password : "");
        if (patient is null)
        {
            await failures.CountAsync(SessionKind.Patient, ct);
            return PatientSignInResult.Failed;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (locked || !passwordOk)
        {
            if (!locked)
                await users.AccessFailedAsync(patient);
            audit.Add(db, null, AuditActions.PatientSignIn, patient.ClientId, AuditOutcome.Failed, locked ? "Locked out" : "Wrong password");
            await db.SaveChangesAsync(ct);
            return PatientSignInResult.Failed;
        }
        if (patient.AccessFailedCount > 0)
            await users.ResetAccessFailedCountAsync(patient);
        if (await PortalAccountQuery.LoadAsync(db, patient.Id, null, await clock.TodayAsync(ct), ct) is not { HasAccess: true })
        {
            audit.Add(db, null, AuditActions.PatientSignIn, patient.ClientId, AuditOutcome.Refused, "Portal access ended");
            await db.SaveChangesAsync(ct);
            return PatientSignInResult.AccessEnded;
        }
        audit.Add(db, null, AuditActions.PatientSignIn, patient.ClientId, AuditOutcome.Succeeded);
        await db.SaveChangesAsync(ct);
        await cookies.SignInAsync(context, patient);
        logger.LogInformation("Portal account {UserId} signed in", patient.Id);
        return PatientSignInResult.SignedIn;
    }
}
