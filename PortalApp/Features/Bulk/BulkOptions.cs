using System.ComponentModel.DataAnnotations;
using PortalApp.Data;

namespace PortalApp.Features.Bulk;

/// <summary>
/// The "Bulk" settings: how fast bulk sends go out per channel, which is the host's business (the provider's and the
/// mail server's limits), unlike the undo window and the recent-contact rule, which are the clinic's (clinic settings).
/// </summary>
public sealed class BulkOptions
{
    public const string Section = "Bulk";

    /// <summary>Emails (and bulk invites) per second; mail servers and relays limit how fast one sender may go.</summary>
    [Range(0.01, 100_000)]
    public double EmailsPerSecond { get; set; } = 20;

    /// <summary>Texts per second: 1 on a Canadian or US long code; a toll-free or short code allows more.</summary>
    [Range(0.01, 1_000)]
    public double TextsPerSecond { get; set; } = 1;

    /// <summary>Calls started per second.</summary>
    [Range(0.01, 100)]
    public double CallsPerSecond { get; set; } = 0.2;

    /// <summary>Portal messages per second (each also queues a notice email).</summary>
    [Range(0.01, 100_000)]
    public double PortalMessagesPerSecond { get; set; } = 20;

    /// <summary>Recipients prepared in one transaction at most.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>How often a waiting or throttled send is looked at.</summary>
    [Range(1, 3600)]
    public int PollIntervalSeconds { get; set; } = 5;

    /// <summary>How long one instance holds a send it is working on; a killed instance's send goes on elsewhere after this.</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    public double RateFor(BulkChannel channel) => channel switch
    {
        BulkChannel.Sms => TextsPerSecond,
        BulkChannel.Voice => CallsPerSecond,
        BulkChannel.Portal => PortalMessagesPerSecond,
        _ => EmailsPerSecond,
    };
}
