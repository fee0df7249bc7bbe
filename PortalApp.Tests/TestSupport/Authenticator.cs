using OtpNet;

namespace PortalApp.Tests.TestSupport;

/// <summary>The phone's authenticator app: turns the key the set-up page shows into the code it would show now.</summary>
public static class Authenticator
{
    public static string CodeFor(string formattedKey, DateTimeOffset at) =>
        new Totp(Base32Encoding.ToBytes(formattedKey.Replace(" ", "").ToUpperInvariant())).ComputeTotp(at.UtcDateTime);
}
