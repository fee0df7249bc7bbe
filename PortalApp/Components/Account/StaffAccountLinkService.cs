using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Security;

namespace PortalApp.Components.Account;

/// <summary>What a staff member sees when they open their emailed link; never the token or the full address.</summary>
public sealed record StaffLinkView(string DisplayName, string MaskedEmail, string ClinicName, bool IsInvite, string PersonalWords);

/// <summary>Using the links AccountLinks sends: set a first or new password, or unlock one's own account for this browser.</summary>
public sealed class StaffAccountLinkService(
    IDbContextFactory<PortalDbContext> dbFactory, AccountLinks links, UserManager<PortalUser> users, ClinicSettingsService clinic,
    TrustedBrowsers trustedBrowsers, UserSessions sessions, AuditLog audit, TimeProvider time, ILogger<StaffAccountLinkService> logger)
{
    private static readonly AccountTokenPurpose[] PasswordPurposes = [AccountTokenPurpose.StaffInvite, AccountTokenPurpose.PasswordReset];
    private static readonly AccountTokenPurpose[] UnlockPurpose = [AccountTokenPurpose.Unlock];
    public const string LinkGone = "This link no longer works: it was used, replaced by a newer one, or it expired. Ask your clinic's PortalApp admin for a new one.";

    public Task<StaffLinkView?> ViewSetPasswordAsync(string? token, CancellationToken ct = default) => ViewAsync(token, PasswordPurposes, ct);

    public Task<StaffLinkView?> ViewUnlockAsync(string? token, CancellationToken ct = default) => ViewAsync(token, UnlockPurpose, ct);

    public async Task<Outcome> SetPasswordAsync(string? token, INewPassword form, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var link = await links.FindUsableAsync(db, token, PasswordPurposes, ct);
        var user = link is null ? null : await users.FindByIdAsync(link.UserId);
        if (link is null || user is null || user.DisabledAtUtc is not null)
            return Outcome.Refuse(LinkGone);
        var settings = await clinic.GetAsync(ct);
        if (NewPassword.Problem(form, [user.DisplayName, user.Email ?? "", settings.Name]) is { } problem)
            return Outcome.Refuse(problem);
        if (!await ClaimAsync(db, link, ct))
            return Outcome.Refuse(LinkGone);

        user.PasswordHash = users.PasswordHasher.HashPassword(user, form.Password!);
        user.EmailConfirmed = true;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        // One save with the new stamp: every session signed in with the old password ends.
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded)
            throw new InvalidOperationException("The password could not be saved: " + string.Join(" ", saved.Errors.Select(e => e.Code)));
        await sessions.EndAllAsync(user.Id, SessionEndReason.AccountChanged, ct);
        var invite = link.Purpose == AccountTokenPurpose.StaffInvite;
        audit.Add(db, new StaffActor(user.Id, user.DisplayName), invite ? AuditActions.StaffInviteAccepted : AuditActions.StaffPasswordSet, null,
            AuditOutcome.Succeeded, invite ? "First password set from the invite link" : "New password set from a reset link");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Staff user {UserId} set a password from an emailed link", user.Id);
        return Outcome.Ok;
    }

    public async Task<Outcome> UnlockAsync(HttpContext http, string? token, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var link = await links.FindUsableAsync(db, token, UnlockPurpose, ct);
        if (link is null || !await ClaimAsync(db, link, ct))
            return Outcome.Refuse(LinkGone);
        if (await db.Users.Where(u => u.Id == link.UserId && u.DisabledAtUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null).SetProperty(u => u.AccessFailedCount, 0), ct) == 0)
            return Outcome.Refuse(LinkGone); // disabled since the link was sent
        var name = await db.Users.Where(u => u.Id == link.UserId).Select(u => u.DisplayName).SingleAsync(ct);
        audit.Add(db, new StaffActor(link.UserId, name), AuditActions.AccountUnlockedByLink, null, AuditOutcome.Succeeded, "Unlocked by the account's own emailed link");
        await db.SaveChangesAsync(ct);
        trustedBrowsers.Trust(http, link.UserId);
        return Outcome.Ok;
    }

    private async Task<StaffLinkView?> ViewAsync(string? token, AccountTokenPurpose[] purposes, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await links.FindUsableAsync(db, token, purposes, ct) is not { } link)
            return null;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == link.UserId && u.DisabledAtUtc == null)
            .Select(u => new { u.DisplayName, u.Email }).SingleOrDefaultAsync(ct);
        if (user is null)
            return null;
        var clinicName = (await clinic.GetAsync(ct)).Name;
        return new StaffLinkView(user.DisplayName, EmailAddressRules.Mask(user.Email), clinicName, link.Purpose == AccountTokenPurpose.StaffInvite,
            $"{user.DisplayName} {clinicName}"); // not the address: whoever holds the link sees only its mask
    }

    /// <summary>Single use, even for two submits at once: only the request that moves it from pending uses it.</summary>
    private async Task<bool> ClaimAsync(PortalDbContext db, AccountToken link, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.AccountTokens.Where(t => t.Id == link.Id && t.Status == AccountTokenStatus.Pending && t.ExpiresAtUtc > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, AccountTokenStatus.Used).SetProperty(t => t.EndedAtUtc, now), ct) == 1;
    }
}
