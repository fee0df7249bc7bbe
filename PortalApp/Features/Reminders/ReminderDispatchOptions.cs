using System.ComponentModel.DataAnnotations;

namespace PortalApp.Features.Reminders;

/// <summary>The "Reminders" settings: how often the dispatcher looks at the schedule, and how it shares work between instances.</summary>
public sealed class ReminderDispatchOptions
{
    public const string Section = "Reminders";

    /// <summary>A booking, reschedule or cancellation is acted on within this many seconds (and a reminder goes at most this late).</summary>
    [Range(5, 3600)]
    public int PollIntervalSeconds { get; set; } = 60;

    /// <summary>Reminders one instance claims at a time; the pass claims again until none is due.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a claim holds: an instance killed mid-batch leaves its reminders to the others for this long.</summary>
    [Range(10, 3600)]
    public int LeaseSeconds { get; set; } = 120;
}
