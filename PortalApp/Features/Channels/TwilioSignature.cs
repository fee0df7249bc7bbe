using Microsoft.Extensions.Options;
using Twilio.Security;

namespace PortalApp.Features.Channels;

/// <summary>
/// Checks X-Twilio-Signature (HMAC-SHA1 of the public URL and the posted fields, keyed with the auth token) with the
/// Twilio package's own validator. A webhook without a valid signature is refused before anything reads its fields
/// into the database.
/// </summary>
public sealed class TwilioSignature(IOptions<MessagingOptions> options)
{
    public const string Header = "X-Twilio-Signature";

    /// <param name="publicUrl">The URL Twilio was given, query included: the clinic's public address plus the path.</param>
    public bool IsValid(string publicUrl, IReadOnlyDictionary<string, string> form, string? signature)
    {
        var token = options.Value.Twilio.AuthToken;
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(signature))
            return false;
        return new RequestValidator(token).Validate(publicUrl, form.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), signature);
    }

    /// <summary>What Twilio would send for these fields: for the test server that plays Twilio, and for the tests.</summary>
    public static string Sign(string authToken, string publicUrl, IReadOnlyDictionary<string, string> form)
    {
        var data = publicUrl + string.Concat(form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));
        using var hmac = new System.Security.Cryptography.HMACSHA1(System.Text.Encoding.UTF8.GetBytes(authToken));
        return Convert.ToBase64String(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes(data)));
    }
}
