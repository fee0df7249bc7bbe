using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PortalApp.Features.Invites;

/// <summary>256 random bits, base64url in the link; only the SHA-256 hash is ever stored.</summary>
public static class InviteTokens
{
    public const int TokenBytes = 32;

    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static string Link(string publicBaseUrl, string token) => $"{publicBaseUrl.TrimEnd('/')}/register/{token}";
}
