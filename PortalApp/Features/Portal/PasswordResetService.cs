using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Audit;
using PortalApp.Features.Clinic;
using PortalApp.Features.Registration;

namespace PortalApp.Features.Portal;

public abstract record PasswordResetResult
{
    public sealed record Changed : PasswordResetResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : PasswordResetResult;
    public sealed record Unusable : PasswordResetResult;
}

/// <summary>
/// Forgot password: an emailed, single-use, expiring link (Identity's reset token: signed, never stored, void once the
/// password changes). The answer to the request is the same whether or not the address has an account.
/// </summary>
public sealed class PasswordResetService(
    UserManager<PortalUser> users, IDbContextFactory<PortalDbContext> dbFactory, EmailOutbox outbox, EmailComposer composer,
    ClinicSettingsService clinic, ClinicClock clock, AuditLog audit)
{
    public async Task RequestAsync(string? email, CancellationToken ct = default)
    {
        if (!EmailAddressRules.IsValid(email))
            return;
        var user = await users.FindByEmailAsync(email!.Trim());
        if (user?.Email is null || !await users.IsInRoleAsync(user, StaffRoles.Patient))
            return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await PortalAccountQuery.LoadAsync(db, user.Id, null, await clock.TodayAsync(ct), ct) is not { HasAccess: true })
        {
            audit.Add(db, null, AuditActions.PatientPasswordResetRequest, user.ClientId, AuditOutcome.Refused, "Portal access ended");
            await db.SaveChangesAsync(ct);
            return;
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var settings = await clinic.GetAsync(ct);
        var link = $"{settings.PublicBaseUrl}/portal/reset-password?user={Uri.EscapeDataString(user.Id)}&token={OutboxEmail.SecretMarker}";
        var html = System.Net.WebUtility.HtmlEncode(link);
        var greeting = user.DisplayName.Split(' ', 2)[0];
        var content = await composer.ComposeAsync(settings, $"Reset your {settings.Name} portal password",
            $"<p>Hello {System.Net.WebUtility.HtmlEncode(greeting)},</p><p>Someone asked to reset the password of your patient portal account. If it was you, choose a new password here:</p><p><a href=\"{html}\"><strong>Choose a new password</strong></a></p><p>The link works once, for one hour. If you did not ask, you can ignore this email: your password stays the same.</p>",
            $"Hello {greeting},\n\nSomeone asked to reset the password of your patient portal account. If it was you, choose a new password here:\n\n{link}\n\nThe link works once, for one hour. If you did not ask, you can ignore this email: your password stays the same.");
        outbox.Enqueue(db, new OutgoingEmail(user.Email, user.DisplayName, content.Subject, content.Html, content.Text,
            "password-reset", user.ClientId, Secret: Uri.EscapeDataString(token)));
        audit.Add(db, null, AuditActions.PatientPasswordResetRequest, user.ClientId, AuditOutcome.Succeeded);
        await db.SaveChangesAsync(ct);
        outbox.WakeDispatcher();
    }

    public async Task<PasswordResetResult> ResetAsync(string? userId, string? token, string? password, string? confirm, CancellationToken ct = default)
    {
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is null || string.IsNullOrEmpty(token) || !await users.IsInRoleAsync(user, StaffRoles.Patient))
            return new PasswordResetResult.Unusable();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await PortalAccountQuery.LoadAsync(db, user.Id, null, await clock.TodayAsync(ct), ct) is not { HasAccess: true })
            return new PasswordResetResult.Unusable();
        var settings = await clinic.GetAsync(ct);
        if (PasswordRules.Problem(password, [user.DisplayName, user.Email ?? "", settings.Name]) is { } weak)
            return new PasswordResetResult.Invalid(new Dictionary<string, string> { ["Password"] = weak });
        if (password != confirm)
            return new PasswordResetResult.Invalid(new Dictionary<string, string> { ["ConfirmPassword"] = "The two passwords are not the same." });
        var result = await users.ResetPasswordAsync(user, token, password!);
        if (!result.Succeeded)
            return new PasswordResetResult.Unusable();
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        audit.Add(db, null, AuditActions.PatientPasswordReset, user.ClientId, AuditOutcome.Succeeded);
        await db.SaveChangesAsync(ct);
        return new PasswordResetResult.Changed();
    }
}
