using Microsoft.AspNetCore.Identity;
using PortalApp.Data;

namespace PortalApp.Security;

/// <summary>
/// One PBKDF2 verification for every sign-in attempt, whatever is behind the email: no account, a patient's, a locked
/// or disabled one, or a real one. Without it, an unknown email answers in a millisecond and a real one in ~40 ms,
/// which tells an attacker which addresses to try passwords on.
/// </summary>
public sealed class PasswordCheck(IPasswordHasher<PortalUser> hasher)
{
    private static readonly PortalUser Nobody = new();
    private static string? _dummyHash;

    /// <returns>true only when <paramref name="passwordHash"/> is a real hash and the password matches it.</returns>
    public bool Verify(PortalUser? user, string? passwordHash, string password)
    {
        var dummy = _dummyHash ??= hasher.HashPassword(Nobody, SecretTokens.NewToken());
        var result = hasher.VerifyHashedPassword(user ?? Nobody, passwordHash ?? dummy, password);
        return passwordHash is not null && result != PasswordVerificationResult.Failed;
    }
}
