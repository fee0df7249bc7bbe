using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PortalApp.Security;

/// <summary>
/// Every secret link and session id: 256 random bits, base64url (43 characters); only the SHA-256 hash is ever stored,
/// so a copy of the database opens nothing.
/// </summary>
public static class SecretTokens
{
    public const int TokenBytes = 32;
    public const int TokenLength = 43;

    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Only something that could be one of our tokens is worth a database look-up.</summary>
    public static bool LooksLikeToken(string? value) => value is { Length: TokenLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
