namespace PortalApp.Data;

/// <summary>
/// The clinic's appointment reminder settings (always row 1). Defaults and ranges live here and nowhere else.
/// </summary>
public class ReminderSettings
{
    public const int SingletonId = 1;
    public const int MaxScheduleEntries = 3, MaxMinutesBefore = 14 * 24 * 60, MaxCancelCutoffHours = 168;

    /// <summary>Email 2 days before, a text message 1 day before.</summary>
    public const string DefaultSchedule = "Email:2880;Sms:1440";

    public const int DefaultQuietStartMinute = 21 * 60, DefaultQuietEndMinute = 8 * 60, MinutesPerDay = 24 * 60;

    public int Id { get; set; } = SingletonId;
    public bool EmailOn { get; set; } = true;
    public bool SmsOn { get; set; }
    public bool VoiceOn { get; set; }

    /// <summary>Up to three "Channel:minutes before" entries separated by ";" (parsed and checked by the reminders feature).</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>
    /// Quiet hours as minutes after midnight, clinic time (stored as numbers: every column type copies between providers).
    /// A reminder due inside [start, end) waits until the end; the window may cross midnight; start = end means none.
    /// </summary>
    public int QuietStartMinute { get; set; } = DefaultQuietStartMinute;
    public int QuietEndMinute { get; set; } = DefaultQuietEndMinute;

    public TimeOnly QuietStart => TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(QuietStartMinute));
    public TimeOnly QuietEnd => TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(QuietEndMinute));

    public bool SkipConfirmed { get; set; } = true;
    public bool AllowOnlineCancel { get; set; } = true;

    /// <summary>Online cancelling stops this many hours before the start (0: until the start).</summary>
    public int CancelCutoffHours { get; set; } = 24;

    /// <summary>Off by default: a reminder says when, where and with whom, not what for (minimum necessary).</summary>
    public bool ShowAppointmentType { get; set; }

    public int Version { get; set; }
}
