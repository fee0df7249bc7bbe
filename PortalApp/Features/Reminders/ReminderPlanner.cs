using PortalApp.Features.Channels;
using PortalApp.Data;

namespace PortalApp.Features.Reminders;

/// <summary>One reminder the schedule asks for: a schedule entry (its slot) for one start time, when it is due and when it may go.</summary>
/// <param name="SkipReason">Set when it cannot go at all (too late); it is recorded as Skipped with this reason.</param>
public sealed record PlannedReminder(int Slot, MessageChannel Channel, DateTime DueAtUtc, DateTime SendAtUtc, string? SkipReason = null);

/// <summary>
/// When each reminder of an appointment goes: the schedule entry's time before the start, moved past the quiet hours,
/// never after the start. An appointment booked after an entry's time gets that reminder at once (outside quiet hours)
/// if it still starts more than <see cref="LateMargin"/> later; else the reminder is skipped as too late.
/// </summary>
public static class ReminderPlanner
{
    public static readonly TimeSpan LateMargin = TimeSpan.FromHours(1);

    /// <param name="wanted">Whether a channel is on at the clinic and, if the client chose channels, among them.</param>
    public static IReadOnlyList<PlannedReminder> ForAppointment(IReadOnlyList<ReminderScheduleEntry> schedule, Func<MessageChannel, bool> wanted,
        DateTime startUtc, DateTime nowUtc, QuietHours quiet, TimeZoneInfo zone)
    {
        var plans = schedule.Select((entry, slot) => (entry, slot))
            .Where(e => wanted(e.entry.Channel))
            .Select(e => Plan(e.slot, e.entry, startUtc, nowUtc, quiet, zone))
            .ToList();
        // Booked late, several reminders of one channel are all overdue: the patient gets the last one, not a pile at once.
        return plans.Select(p => IsOverdue(p, nowUtc) && plans.Any(q => q.Channel == p.Channel && IsOverdue(q, nowUtc) && q.DueAtUtc > p.DueAtUtc)
            ? p with { SkipReason = ReminderSkipReasons.Superseded }
            : p).ToList();
    }

    public static PlannedReminder Plan(int slot, ReminderScheduleEntry entry, DateTime startUtc, DateTime nowUtc, QuietHours quiet, TimeZoneInfo zone)
    {
        var due = startUtc - entry.Before;
        if (due >= nowUtc)
        {
            var send = quiet.SendTime(due, zone);
            return new PlannedReminder(slot, entry.Channel, due, send, send >= startUtc ? ReminderSkipReasons.TooLate : null);
        }
        var late = quiet.SendTime(nowUtc, zone);
        return new PlannedReminder(slot, entry.Channel, due, late, startUtc - late > LateMargin ? null : ReminderSkipReasons.TooLate);
    }

    /// <summary>
    /// A planned reminder that has not gone yet, looked at again (the quiet hours may have changed): it goes at the end of
    /// the quiet hours its due time (or, when it was planned late, its planning time) falls in, or at once if that is past.
    /// </summary>
    public static DateTime SendTimeAgain(AppointmentReminder row, DateTime nowUtc, QuietHours quiet, TimeZoneInfo zone)
    {
        var basis = row.DueAtUtc > row.CreatedAtUtc ? row.DueAtUtc : row.CreatedAtUtc;
        return quiet.SendTime(basis > nowUtc ? basis : nowUtc, zone);
    }

    private static bool IsOverdue(PlannedReminder plan, DateTime nowUtc) => plan.SkipReason is null && plan.DueAtUtc < nowUtc;
}
