using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;

namespace PortalApp.Components.Account;

/// <summary>A staff member's own account: the password they change themselves.</summary>
public sealed class StaffAccountService(UserManager<PortalUser> users, IDbContextFactory<PortalDbContext> dbFactory, ClinicSettingsService clinic, AuditLog audit)
{
    public async Task<Outcome> ChangePasswordAsync(PortalUser user, string? current, INewPassword form, CancellationToken ct = default)
    {
        if (NewPassword.Problem(form, [user.DisplayName, user.Email ?? "", (await clinic.GetAsync(ct)).Name]) is { } problem)
            return Outcome.Refuse(problem);
        if (string.IsNullOrEmpty(current) || current.Length > 1024)
            return Outcome.Refuse("Type your current password.");
        var result = await users.ChangePasswordAsync(user, current, form.Password!);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        audit.Add(db, new StaffActor(user.Id, user.DisplayName), AuditActions.StaffPasswordChange, null,
            result.Succeeded ? AuditOutcome.Succeeded : AuditOutcome.Failed, result.Succeeded ? null : "Current password not right");
        await db.SaveChangesAsync(ct);
        return result.Succeeded ? Outcome.Ok : Outcome.Refuse("Your current password is not right.");
    }
}
