using System.Globalization;
using System.Net;

namespace PortalApp.Features.Channels;

/// <summary>
/// Twilio's documented error codes in words staff understand (twilio.com/docs/errors), with the code kept for the
/// clinic's IT person. One home for what each code means, for sending and for delivery reports.
/// </summary>
public static class TwilioErrors
{
    /// <summary>The number itself is the problem: this message will never go, so it fails at once.</summary>
    private static readonly Dictionary<int, string> RecipientProblems = new()
    {
        [21211] = "The number is not a valid phone number",
        [21217] = "The number is not a valid phone number",
        [21612] = "Twilio cannot send texts to this number (unroutable)",
        [21214] = "Twilio cannot reach this number",
        [21610] = "The recipient replied STOP to the clinic's number: Twilio sends them nothing until they reply START",
        [21614] = "The number is not a mobile number and cannot receive texts",
        [21408] = "Texts to this country or region are not enabled on the clinic's Twilio account",
        [21215] = "Calls to this country or region are not enabled on the clinic's Twilio account",
        [21216] = "Twilio blocks calls to this number",
        [21617] = "The text is longer than Twilio's limit of 1,600 characters",
    };

    /// <summary>The clinic's own settings are the problem: every message would fail alike, so they wait for the fix instead.</summary>
    private static readonly Dictionary<int, string> SettingsProblems = new()
    {
        [21212] = "Messaging:Twilio:FromNumber is not a valid phone number",
        [21606] = "Messaging:Twilio:FromNumber is not a number of this Twilio account that can send texts",
        [21210] = "Messaging:Twilio:FromNumber is not a number of this Twilio account that can make calls",
    };

    /// <summary>Delivery reports: why a text Twilio took did not reach the phone.</summary>
    private static readonly Dictionary<int, string> DeliveryProblems = new()
    {
        [30001] = "Twilio's queue for the clinic's number was full",
        [30002] = "The clinic's Twilio account is suspended",
        [30003] = "The phone was unreachable (off, or out of coverage)",
        [30004] = "The recipient's phone or carrier blocked the text",
        [30005] = "The number does not exist or is no longer in service",
        [30006] = "The number is a landline, or its carrier cannot receive texts",
        [30007] = "The carrier filtered the text as unwanted",
        [30008] = "The carrier could not deliver it (unknown error)",
    };

    /// <summary>What an answer other than success means for the message.</summary>
    /// <param name="code">Twilio's error code from the answer's JSON, when it had one.</param>
    /// <param name="message">Twilio's own message, when it had one.</param>
    public static TextSendResult Interpret(HttpStatusCode status, int? code, string? message)
    {
        var http = (int)status;
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            return new TextSendResult.TryLater($"Twilio refused the clinic's credentials (HTTP {http}): check Messaging:Twilio:AccountSid and Messaging:Twilio:AuthToken.");
        if (status == HttpStatusCode.NotFound)
            return new TextSendResult.TryLater("Twilio does not know the account in Messaging:Twilio:AccountSid (HTTP 404).");
        if (status == HttpStatusCode.TooManyRequests)
            return new TextSendResult.TryLater("Twilio asked the clinic to slow down (HTTP 429); it will be tried again later.");
        if (http >= 500)
            return new TextSendResult.TryLater($"Twilio was unavailable (HTTP {http}); it will be tried again later.");
        if (http is >= 400 and < 500)
        {
            if (code is { } c && SettingsProblems.TryGetValue(c, out var setting))
                return new TextSendResult.TryLater($"{setting} ({c}). Messages wait until the setting is fixed.");
            if (code is { } r && RecipientProblems.TryGetValue(r, out var words))
                return new TextSendResult.Rejected($"{words} ({r}).");
            if (code is { } other)
                return new TextSendResult.Rejected(string.IsNullOrWhiteSpace(message) ? $"Twilio refused it ({other})." : $"Twilio refused it: {message.Trim()} ({other}).");
            return new TextSendResult.Rejected($"Twilio refused it (HTTP {http}).");
        }
        return new TextSendResult.TryLater($"Twilio gave an unexpected answer (HTTP {http}); it will be tried again later.");
    }

    /// <summary>Why a text was not delivered, from a delivery report's ErrorCode.</summary>
    public static string Undelivered(string? errorCode)
    {
        if (!int.TryParse(errorCode, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            return "Not delivered; Twilio gave no reason.";
        return DeliveryProblems.TryGetValue(code, out var words) || RecipientProblems.TryGetValue(code, out words)
            ? $"{words} ({code})."
            : $"Not delivered: Twilio error {code} (see twilio.com/docs/errors/{code}).";
    }
}
