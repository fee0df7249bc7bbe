using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using QRCoder;

namespace PortalApp.Components.Account;

/// <summary>What the set-up page shows: the key to type, and the same key as a QR code (an SVG data URI).</summary>
public sealed record AuthenticatorSetupView(string FormattedKey, string QrCodeDataUri, string AccountLabel);

public sealed record TwoFactorStatusView(bool Enabled, int RecoveryCodesLeft, bool RequiredByClinic);

public abstract record TwoFactorEnableResult
{
    public sealed record Enabled(IReadOnlyList<string> RecoveryCodes) : TwoFactorEnableResult;
    public sealed record WrongCode(string Problem) : TwoFactorEnableResult;
}

/// <summary>
/// Authenticator-app (TOTP) two-factor for staff with Identity's own authenticator provider: a key shown once as text
/// and QR code, a confirming code before it is on, and 10 single-use recovery codes shown once.
/// </summary>
public sealed class StaffTwoFactorService(
    UserManager<PortalUser> users, IUserStore<PortalUser> store, IDbContextFactory<PortalDbContext> dbFactory, ClinicSettingsService clinic, AuditLog audit)
{
    public const int RecoveryCodeCount = 10;

    public async Task<TwoFactorStatusView> StatusAsync(PortalUser user)
    {
        var roles = await users.GetRolesAsync(user);
        return new TwoFactorStatusView(user.TwoFactorEnabled, await users.CountRecoveryCodesAsync(user), (await clinic.GetAsync()).RequiresTwoFactor(roles));
    }

    /// <summary>The key to scan. A key is made the first time; making it changes nothing else (two-factor stays off until confirmed).</summary>
    public async Task<AuthenticatorSetupView> SetupAsync(PortalUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // Not ResetAuthenticatorKeyAsync: it renews the security stamp, which would end the very session doing the set-up.
            key = users.GenerateNewAuthenticatorKey();
            await ((IUserAuthenticatorKeyStore<PortalUser>)store).SetAuthenticatorKeyAsync(user, key, CancellationToken.None);
            await users.UpdateAsync(user);
        }
        var clinicName = (await clinic.GetAsync()).Name;
        var label = $"{clinicName} ({user.Email})";
        var uri = $"otpauth://totp/{Uri.EscapeDataString("PortalApp " + clinicName)}:{Uri.EscapeDataString(user.Email ?? user.Id)}?secret={key}&issuer={Uri.EscapeDataString("PortalApp " + clinicName)}&digits=6";
        using var qr = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(qr).GetGraphic(5);
        return new AuthenticatorSetupView(Format(key), "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg)), label);
    }

    /// <summary>Turns two-factor on once the app shows a code that matches; returns the recovery codes, to be shown once.</summary>
    public async Task<TwoFactorEnableResult> EnableAsync(PortalUser user, string? code)
    {
        var digits = Digits(code);
        if (digits.Length != 6)
            return new TwoFactorEnableResult.WrongCode("Enter the 6-digit code your authenticator app shows now.");
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
            return new TwoFactorEnableResult.WrongCode("That code does not match. Check that the app shows this account, and type the code it shows now (codes change every 30 seconds).");
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        await AuditAsync(user, AuditActions.StaffTwoFactorEnable, "Authenticator app confirmed; 10 recovery codes issued");
        return new TwoFactorEnableResult.Enabled(codes);
    }

    public async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(PortalUser user)
    {
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        await AuditAsync(user, AuditActions.StaffRecoveryCodes, "New recovery codes issued; the old ones no longer work");
        return codes;
    }

    /// <summary>Off, with a new key next time: the person's own choice where the clinic does not require it.</summary>
    public async Task<Outcome> DisableAsync(PortalUser user)
    {
        if ((await StatusAsync(user)).RequiredByClinic)
            return Outcome.Refuse("Your clinic requires two-factor sign-in for your role, so it cannot be turned off. You can set up a new authenticator app instead.");
        await TurnOffAsync(user);
        await AuditAsync(user, AuditActions.StaffTwoFactorDisable, "Turned off by the account's owner");
        return Outcome.Ok;
    }

    /// <summary>Everything two-factor forgotten (key, recovery codes, remembered computers), and the account's sessions end.</summary>
    public async Task TurnOffAsync(PortalUser user)
    {
        await users.SetTwoFactorEnabledAsync(user, false);
        await ((IUserAuthenticatorKeyStore<PortalUser>)store).SetAuthenticatorKeyAsync(user, null!, CancellationToken.None);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0); // Identity's way to leave no recovery code
        await users.UpdateSecurityStampAsync(user);
    }

    private async Task AuditAsync(PortalUser user, string action, string details)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        audit.Add(db, new StaffActor(user.Id, user.DisplayName), action, null, AuditOutcome.Succeeded, details);
        await db.SaveChangesAsync();
    }

    public static string Digits(string? code) => new((code ?? "").Where(char.IsAsciiDigit).Take(12).ToArray());

    /// <summary>"abcd efgh ijkl …": four letters at a time, lower case, as authenticator apps show keys.</summary>
    private static string Format(string key)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
            builder.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        return builder.ToString().TrimEnd().ToLower(CultureInfo.InvariantCulture);
    }
}
