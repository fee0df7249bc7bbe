using System.Globalization;
using PortalApp.Data;

namespace PortalApp.Features.Reminders;

public enum ReminderUnit
{
    Days,
    Hours,
}

/// <summary>One row of the settings page's schedule: "Text message, 1, days before the appointment".</summary>
public sealed class ReminderScheduleRow
{
    public const int MaxDays = ReminderSchedule.MaxMinutesBefore / (24 * 60), MaxHours = ReminderSchedule.MaxMinutesBefore / 60;

    public MessageChannel Channel { get; set; } = MessageChannel.Email;
    public int Amount { get; set; } = 1;
    public ReminderUnit Unit { get; set; } = ReminderUnit.Days;

    /// <summary>null when the amount is out of every range (it cannot be a schedule entry, and must not overflow).</summary>
    public int? Minutes => Amount is < 1 or > MaxHours ? null : Amount * (Unit == ReminderUnit.Days ? 24 * 60 : 60);

    public static ReminderScheduleRow From(ReminderScheduleEntry entry) => entry.MinutesBefore % (24 * 60) == 0
        ? new() { Channel = entry.Channel, Amount = entry.MinutesBefore / (24 * 60), Unit = ReminderUnit.Days }
        : new() { Channel = entry.Channel, Amount = Math.Max(1, entry.MinutesBefore / 60), Unit = ReminderUnit.Hours };
}

/// <summary>The Appointment reminders page's form.</summary>
public sealed class ReminderSettingsEditModel
{
    public bool EmailOn { get; set; }
    public bool SmsOn { get; set; }
    public bool VoiceOn { get; set; }
    public List<ReminderScheduleRow> Schedule { get; set; } = [];

    /// <summary>Clinic time, "HH:mm" (what an input of type time gives).</summary>
    public string? QuietStart { get; set; }
    public string? QuietEnd { get; set; }
    public bool SkipConfirmed { get; set; }
    public bool AllowOnlineCancel { get; set; }
    public int CancelCutoffHours { get; set; }
    public bool ShowAppointmentType { get; set; }
    public int Version { get; set; }

    public bool IsOn(MessageChannel channel) => channel switch
    {
        MessageChannel.Email => EmailOn,
        MessageChannel.Sms => SmsOn,
        MessageChannel.Voice => VoiceOn,
        _ => false,
    };
}

public abstract record ReminderSettingsSaveResult
{
    public sealed record Saved(int Version) : ReminderSettingsSaveResult;

    /// <param name="Errors">Field (Schedule[0], QuietStart…) → what to fix.</param>
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : ReminderSettingsSaveResult;
    public sealed record Conflict(string Message) : ReminderSettingsSaveResult;
    public sealed record Unsaved(string Message) : ReminderSettingsSaveResult;
}

/// <summary>What the settings must be before they are saved; the page shows the same messages as you type.</summary>
public static class ReminderSettingsRules
{
    public const string ConflictMessage =
        "Someone else changed these settings while you were editing. Your changes are still in the form: reload the page to see theirs, then apply yours again.";

    public static string? Row(ReminderScheduleRow row)
    {
        if (!Enum.IsDefined(row.Channel))
            return "Choose Email, Text message or Voice call.";
        if (!Enum.IsDefined(row.Unit))
            return "Choose days or hours.";
        return row.Minutes is { } minutes && ReminderSchedule.EntryProblem(new ReminderScheduleEntry(row.Channel, minutes)) is null
            ? null
            : $"From 1 hour to {ReminderScheduleRow.MaxDays} days ({ReminderScheduleRow.MaxHours} hours) before the appointment.";
    }

    /// <summary>"21:00" → 1260; null when it is not a time of day.</summary>
    public static int? MinuteOfDay(string? value) =>
        TimeOnly.TryParseExact(value?.Trim(), ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.Hour * 60 + time.Minute
            : null;

    public static string? Clock(string? value) => MinuteOfDay(value) is null ? "Enter a time of day, like 21:00." : null;

    public static string? CancelCutoffHours(int hours) => hours is < 0 or > ReminderSettings.MaxCancelCutoffHours
        ? $"From 0 (until the appointment starts) to {ReminderSettings.MaxCancelCutoffHours} hours."
        : null;

    public static Dictionary<string, string> Validate(ReminderSettingsEditModel model)
    {
        var errors = new Dictionary<string, string>();
        var rows = model.Schedule ?? [];
        if (rows.Count > ReminderSchedule.MaxEntries)
            errors["Schedule"] = $"A clinic can send at most {ReminderSchedule.MaxEntries} reminders per appointment.";
        for (var i = 0; i < rows.Count && i < ReminderSchedule.MaxEntries; i++)
        {
            if (Row(rows[i]) is { } problem)
                errors[$"Schedule[{i}]"] = problem;
            else if (rows.Take(i).Any(r => r.Channel == rows[i].Channel && r.Minutes == rows[i].Minutes))
                errors[$"Schedule[{i}]"] = "The same reminder is already in the schedule: remove one of them.";
        }
        if (Clock(model.QuietStart) is { } start)
            errors[nameof(model.QuietStart)] = start;
        if (Clock(model.QuietEnd) is { } end)
            errors[nameof(model.QuietEnd)] = end;
        if (CancelCutoffHours(model.CancelCutoffHours) is { } cutoff)
            errors[nameof(model.CancelCutoffHours)] = cutoff;
        return errors;
    }
}
