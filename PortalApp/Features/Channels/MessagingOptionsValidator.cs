using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PortalApp.Email;

namespace PortalApp.Features.Channels;

/// <summary>
/// Checks what data annotations cannot: the Twilio settings the chosen transport needs, in words that name each
/// setting. Never repeats the auth token: these messages go to the log.
/// </summary>
public sealed partial class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        var errors = new List<string>();
        if (options.Transport == TextTransportKind.Folder && string.IsNullOrWhiteSpace(options.PickupFolder))
            errors.Add("Messaging:PickupFolder is required when Messaging:Transport is Folder.");
        if (options.Transport == TextTransportKind.Twilio)
            errors.AddRange(TwilioProblems(options.Twilio));
        if (options.LeaseSeconds < 4 * options.Twilio.TimeoutSeconds)
            errors.Add($"Messaging:LeaseSeconds is {options.LeaseSeconds}: it must be at least four times Messaging:Twilio:TimeoutSeconds ({options.Twilio.TimeoutSeconds}), i.e. {4 * options.Twilio.TimeoutSeconds}, so a claimed message is sent before its claim ends.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static IEnumerable<string> TwilioProblems(TwilioSettings twilio)
    {
        // The SID goes into the API's URL path: letters and digits only.
        if (!Matches(AccountSid(), twilio.AccountSid))
            yield return "Messaging:Twilio:AccountSid is required when Messaging:Transport is Twilio: your account's SID from the Twilio Console (it starts with AC).";
        if (string.IsNullOrWhiteSpace(twilio.AuthToken))
            yield return "Messaging:Twilio:AuthToken is required when Messaging:Transport is Twilio. Set it in the environment (Messaging__Twilio__AuthToken), not in a file.";
        if (!Matches(E164(), twilio.FromNumber))
            yield return $"Messaging:Twilio:FromNumber '{twilio.FromNumber}' is not a phone number in E.164 form (a + and the country code, e.g. +14165550100): use your Twilio number.";
        if (!Uri.TryCreate(twilio.ApiBaseUrl, UriKind.Absolute, out var api)
            || !(api.Scheme == Uri.UriSchemeHttps || (api.Scheme == Uri.UriSchemeHttp && EmailOptionsValidator.IsLoopback(api.Host))))
            yield return $"Messaging:Twilio:ApiBaseUrl '{twilio.ApiBaseUrl}' must be an https address (plain http only to this machine, for tests). Leave it at https://api.twilio.com.";
    }

    private static bool Matches(Regex regex, string value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"\AAC[0-9A-Za-z]{8,62}\z", RegexOptions.None, matchTimeoutMilliseconds: Infrastructure.RegexTimeout.Milliseconds)]
    private static partial Regex AccountSid();

    [GeneratedRegex(@"\A\+[1-9][0-9]{6,14}\z", RegexOptions.None, matchTimeoutMilliseconds: Infrastructure.RegexTimeout.Milliseconds)]
    private static partial Regex E164();
}
