using PortalApp.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Portal;

public abstract record PasswordResetResult
{
    public sealed record Changed : PasswordResetResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : PasswordResetResult;
    public sealed record Unusable : PasswordResetResult;
}

/// <summary>
/// Forgot password: an emailed, single-use, expiring link (Identity's reset token: signed, never stored, void once the
/// password changes). The request is only queued, so the answer is the same, in the same time, whether or not the
/// address has an account; at most one email per account per 15 minutes and 5 a day (EmailedLinkLimit).
/// </summary>
public sealed class PasswordResetService(
    UserManager<PortalUser> users, IDbContextFactory<PortalDbContext> dbFactory, EmailOutbox outbox, EmailComposer composer,
    ClinicSettingsService clinic, ClinicClock clock, AuditLog audit, WorkQueue queue, ILogger<PasswordResetService> logger)
{
    public const string EmailKind = "password-reset";

    public void Request(string? email)
    {
        if (EmailAddressRules.IsValid(email))
            queue.Enqueue("password reset", (services, ct) => services.GetRequiredService<PasswordResetService>().SendAsync(email!.Trim(), ct));
    }

    public async Task SendAsync(string email, CancellationToken ct = default)
    {
        var user = await users.FindByEmailAsync(email);
        if (user?.Email is null || !await users.IsInRoleAsync(user, StaffRoles.Patient))
            return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.UtcNow;
        var sent = await db.OutboxEmails.Where(e => e.Kind == EmailKind && e.ToAddress == user.Email && e.CreatedAtUtc > now.AddDays(-1))
            .Select(e => e.CreatedAtUtc).ToListAsync(ct);
        if (!EmailedLinkLimit.Allows(sent, now))
        {
            logger.LogInformation("Password reset for account {UserId} not sent: the emailed-link limit is reached", user.Id);
            return;
        }
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
            EmailKind, user.ClientId, Secret: Uri.EscapeDataString(token)));
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
