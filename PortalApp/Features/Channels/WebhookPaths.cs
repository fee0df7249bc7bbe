namespace PortalApp.Features.Channels;

/// <summary>
/// Where the provider calls back. Twilio signs the full public URL, so each is built from the clinic's public address
/// (Clinic settings), never from a request's Host header.
/// </summary>
public static class WebhookPaths
{
    /// <summary>Delivery reports for texts and calls (StatusCallback).</summary>
    public const string Status = "/webhooks/twilio/status";

    /// <summary>Texts patients send to the clinic's number.</summary>
    public const string InboundSms = "/webhooks/twilio/sms";

    /// <summary>The TwiML a reminder call plays: {0} is the outbound message id.</summary>
    public const string VoiceTemplate = "/webhooks/twilio/voice/{0}";

    /// <summary>Where the call's &lt;Gather&gt; posts the key pressed: {0} is the outbound message id.</summary>
    public const string GatherTemplate = "/webhooks/twilio/voice/{0}/gather";

    public static string Voice(long messageId) => string.Format(System.Globalization.CultureInfo.InvariantCulture, VoiceTemplate, messageId);
    public static string Gather(long messageId) => string.Format(System.Globalization.CultureInfo.InvariantCulture, GatherTemplate, messageId);

    public static string Absolute(string publicBaseUrl, string path) => publicBaseUrl.TrimEnd('/') + path;
}
