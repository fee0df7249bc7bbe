using System.Globalization;
using PortalApp.Data;

namespace PortalApp.Features.Reminders;

/// <summary>One entry of the clinic's reminder schedule: a channel, and how long before the appointment it goes.</summary>
public sealed record ReminderScheduleEntry(MessageChannel Channel, int MinutesBefore)
{
    public TimeSpan Before => TimeSpan.FromMinutes(MinutesBefore);
}

public abstract record ReminderScheduleParse
{
    public sealed record Ok(IReadOnlyList<ReminderScheduleEntry> Entries) : ReminderScheduleParse;

    /// <param name="Problem">What is wrong, in words for the admin.</param>
    public sealed record Invalid(string Problem) : ReminderScheduleParse;
}

/// <summary>
/// <see cref="ReminderSettings.Schedule"/>: up to three "Channel:minutes before" entries separated by ";" (e.g.
/// "Email:2880;Sms:1440"). The one home of its rules: the settings page, the service that saves it and the dispatcher
/// that reads it all go through <see cref="Parse"/> and <see cref="Problem"/>.
/// </summary>
public static class ReminderSchedule
{
    public const int MinMinutesBefore = 60;
    public const int MaxMinutesBefore = ReminderSettings.MaxMinutesBefore;
    public const int MaxEntries = ReminderSettings.MaxScheduleEntries;

    /// <summary>Longer text is refused before it is split (the column holds 200 characters).</summary>
    public const int MaxTextLength = 200;

    public static ReminderScheduleParse Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return new ReminderScheduleParse.Ok([]);
        if (text.Length > MaxTextLength)
            return new ReminderScheduleParse.Invalid($"The reminder schedule can be at most {MaxTextLength} characters.");
        var entries = new List<ReminderScheduleEntry>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':', StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || !Enum.TryParse<MessageChannel>(pieces[0], ignoreCase: false, out var channel) || !Enum.IsDefined(channel)
                || !int.TryParse(pieces[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
                return new ReminderScheduleParse.Invalid($"“{part}” is not a reminder: write a channel (Email, Sms or Voice), a colon and the minutes before, like Email:2880.");
            entries.Add(new ReminderScheduleEntry(channel, minutes));
        }
        return Problem(entries) is { } problem ? new ReminderScheduleParse.Invalid(problem) : new ReminderScheduleParse.Ok(entries);
    }

    public static string Format(IEnumerable<ReminderScheduleEntry> entries) =>
        string.Join(';', entries.Select(e => $"{e.Channel}:{e.MinutesBefore.ToString(CultureInfo.InvariantCulture)}"));

    /// <returns>null when the entries make a schedule the dispatcher can follow; else the first problem, for the admin.</returns>
    public static string? Problem(IReadOnlyList<ReminderScheduleEntry> entries)
    {
        if (entries.Count > MaxEntries)
            return $"A clinic can send at most {MaxEntries} reminders per appointment.";
        for (var i = 0; i < entries.Count; i++)
        {
            if (EntryProblem(entries[i]) is { } problem)
                return $"Reminder {i + 1}: {problem}";
            if (entries.Take(i).Any(e => e == entries[i]))
                return $"Reminder {i + 1} is the same as an earlier one ({Describe(entries[i])}): remove one of them.";
        }
        return null;
    }

    public static string? EntryProblem(ReminderScheduleEntry entry)
    {
        if (!Enum.IsDefined(entry.Channel))
            return "choose Email, Text message or Voice call.";
        return entry.MinutesBefore is < MinMinutesBefore or > MaxMinutesBefore
            ? "a reminder goes from 1 hour to 14 days before the appointment."
            : null;
    }

    /// <summary>"Email 2 days before", "Text message 3 hours before".</summary>
    public static string Describe(ReminderScheduleEntry entry) => $"{ReminderChannelText.Label(entry.Channel)} {Span(entry.MinutesBefore)} before";

    /// <summary>"2 days", "1 day", "36 hours", "1 hour", "90 minutes".</summary>
    public static string Span(int minutes) => minutes switch
    {
        _ when minutes % (24 * 60) == 0 => Count(minutes / (24 * 60), "day"),
        _ when minutes % 60 == 0 => Count(minutes / 60, "hour"),
        _ => Count(minutes, "minute"),
    };

    private static string Count(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
