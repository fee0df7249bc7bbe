using Microsoft.AspNetCore.Identity;
using PortalApp.Data;

namespace PortalApp.Tests.TestSupport;

/// <summary>Identity's own hasher, counting verifications: each costs ~40 ms, so their number is what timing could give away.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<PortalUser>
{
    private readonly PasswordHasher<PortalUser> _real = new();
    private int _verifications;

    public int Verifications => _verifications;

    public string HashPassword(PortalUser user, string password) => _real.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(PortalUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verifications);
        return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
