using System.ComponentModel.DataAnnotations;

namespace PortalApp.Features.Channels;

public enum TextTransportKind
{
    /// <summary>Texts and calls are written to a folder and shown on the Dev outbox page. The Development default.</summary>
    Folder,
    Twilio,
}

/// <summary>The "Messaging" settings: how text messages and voice calls leave the app.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    public TextTransportKind Transport { get; set; } = TextTransportKind.Folder;

    /// <summary>Relative paths are under the content root.</summary>
    public string PickupFolder { get; set; } = "App_Data/texts";

    /// <summary>Outside Development the app refuses to start with the Folder transport unless this says it is really wanted.</summary>
    public bool AllowFolderInProduction { get; set; }

    /// <summary>How often the text and voice dispatcher looks for due messages when nothing wakes it.</summary>
    [Range(1, 3600)]
    public int PollIntervalSeconds { get; set; } = 10;

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// How long an instance holds the messages it claimed. A send starts only while at least two
    /// <see cref="TwilioSettings.TimeoutSeconds"/> of it are left, so a send never outlives its claim.
    /// </summary>
    [Range(10, 3600)]
    public int LeaseSeconds { get; set; } = 300;

    public TwilioSettings Twilio { get; set; } = new();
}

/// <summary>
/// Twilio's account and sending number. The auth token is a secret: set it through the environment
/// (Messaging__Twilio__AuthToken), never in a committed file.
/// </summary>
public sealed class TwilioSettings
{
    public string AccountSid { get; set; } = "";
    public string AuthToken { get; set; } = "";

    /// <summary>E.164, e.g. +14165550100: the number texts come from and calls are made from.</summary>
    public string FromNumber { get; set; } = "";

    /// <summary>Twilio's REST API; tests point it at a server on 127.0.0.1 that plays Twilio.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>The longest one send may take, retries included; each try gets a third of it.</summary>
    [Range(3, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The first retry after a 429 or a 5xx waits about this long, each further one about twice as long (with jitter).</summary>
    [Range(0, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 1000;
}
