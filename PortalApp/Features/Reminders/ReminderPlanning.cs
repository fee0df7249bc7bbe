using Microsoft.EntityFrameworkCore;
using PortalApp.Features.Channels;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Reminders;

/// <summary>What one planning pass changed.</summary>
public sealed record ReminderPlan(int Planned, int Withdrawn);

/// <summary>
/// Plans the reminders of the schedule as it stands (see <see cref="ReminderDispatcher"/>): new rows for booked upcoming
/// appointments, unsent ones withdrawn when their appointment is cancelled or moved or an earlier back-to-back one
/// carries the reminder, and unsent ones re-timed when the schedule or the quiet hours change. Rows another instance
/// holds are left to it. Inserting the same reminder twice is refused by its unique index, so two instances planning
/// at once make one row.
/// </summary>
public sealed class ReminderPlanning(IDbContextFactory<PortalDbContext> dbFactory, ClinicSettingsService clinic, TimeProvider time,
    ILogger<ReminderPlanning> logger)
{
    private sealed record Kept(int Id, int ClientId, DateTime StartUtc, DateTime EndUtc, AppointmentStatus Status, string? Channels);

    public async Task<ReminderPlan> PlanAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.ReminderSettings.AsNoTracking().SingleAsync(s => s.Id == ReminderSettings.SingletonId, ct);
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        var now = time.GetUtcNow().UtcDateTime;
        var withdrawn = await WithdrawCancelledAndMovedAsync(db, now, ct);

        if (ReminderSchedule.Parse(settings.Schedule) is not ReminderScheduleParse.Ok { Entries: var schedule })
        {
            logger.LogWarning("The reminder schedule in the database cannot be read; no reminders are planned until an admin saves it again");
            return new ReminderPlan(0, withdrawn);
        }
        var (dayStart, _) = ClinicTime.DayBounds(DateOnly.FromDateTime(ClinicTime.ToWallClock(now, zone)), zone);
        var horizon = now.AddMinutes(ReminderSchedule.MaxMinutesBefore).AddDays(1);
        // Whole clinic days from today's start, so a run whose first appointment has begun still covers the later ones.
        var kept = await db.Appointments.AsNoTracking()
            .Where(a => a.StartUtc >= dayStart && a.StartUtc <= horizon)
            .Where(BackToBack.Kept)
            .Select(a => new Kept(a.Id, a.ClientId, a.StartUtc, a.EndUtc, a.Status, a.Client.ReminderChannels))
            .ToListAsync(ct);
        var existing = (await db.AppointmentReminders.Where(r => r.AppointmentStartUtc >= dayStart && r.AppointmentStartUtc <= horizon).ToListAsync(ct))
            .ToLookup(r => (r.AppointmentId, r.AppointmentStartUtc));
        var quiet = QuietHours.From(settings);
        var added = new List<AppointmentReminder>();
        foreach (var run in BackToBack.Runs(kept, a => a.ClientId, a => a.StartUtc, a => a.EndUtc, a => a.Id, zone))
        {
            var first = run[0];
            var covered = ReminderSkipReasons.CoveredBy(first.StartUtc, zone);
            foreach (var later in run.Skip(1))
                withdrawn += Withdraw(existing[(later.Id, later.StartUtc)].Where(r => IsOpen(r, now)), covered, now);
            if (first.Status != AppointmentStatus.Booked || first.StartUtc <= now)
                continue;
            var chosen = ReminderChannelText.ParseClientChoice(first.Channels);
            var plans = ReminderPlanner.ForAppointment(schedule, c => ReminderChannelText.IsOn(settings, c) && (chosen.Count == 0 || chosen.Contains(c)), first.StartUtc, now, quiet, zone);
            var rows = existing[(first.Id, first.StartUtc)].ToList();
            withdrawn += Retime(rows, schedule, first.StartUtc, now, quiet, zone);
            foreach (var plan in plans)
            {
                var row = rows.SingleOrDefault(r => r.Slot == plan.Slot && r.Channel == plan.Channel);
                if (row is null)
                    added.Add(NewRow(first.Id, first.ClientId, first.StartUtc, plan, now));
                else if (row.Status == ReminderStatus.Withdrawn && IsUnclaimed(row, now))
                    Apply(row, plan, now); // withdrawn before it went (moved away and back, covered, schedule changed): planned again
            }
        }
        if (!await SaveChangesAsync(db, ct))
            return new ReminderPlan(0, 0);
        return new ReminderPlan(await InsertAsync(db, added, ct), withdrawn);
    }

    /// <summary>Unsent reminders whose appointment is no longer booked, or no longer starts when they were planned for.</summary>
    private static async Task<int> WithdrawCancelledAndMovedAsync(PortalDbContext db, DateTime now, CancellationToken ct)
    {
        var stale = await (from r in db.AppointmentReminders
                           where r.Status == ReminderStatus.Scheduled
                           join a in db.Appointments on r.AppointmentId equals a.Id
                           where a.Status != AppointmentStatus.Booked || a.StartUtc != r.AppointmentStartUtc
                           select new { Row = r, a.Status }).ToListAsync(ct);
        return stale.Sum(s => Withdraw([s.Row], s.Status == AppointmentStatus.Booked ? ReminderSkipReasons.Moved : ReminderSkipReasons.NotBooked(s.Status), now));
    }

    /// <summary>
    /// The first appointment's unsent reminders against today's schedule: a slot that now holds another channel (or no
    /// longer exists) withdraws its reminder; a slot whose time changed, or a change of quiet hours, moves it.
    /// </summary>
    private static int Retime(List<AppointmentReminder> rows, IReadOnlyList<ReminderScheduleEntry> schedule, DateTime startUtc, DateTime now, QuietHours quiet,
        TimeZoneInfo zone)
    {
        var withdrawn = 0;
        foreach (var row in rows.Where(r => IsOpen(r, now) && r.SendAtUtc > now))
        {
            if (row.Slot >= schedule.Count || schedule[row.Slot].Channel != row.Channel)
            {
                withdrawn += Withdraw([row], ReminderSkipReasons.ScheduleChanged, now);
                continue;
            }
            var entry = schedule[row.Slot];
            if (startUtc - row.DueAtUtc != entry.Before)
            {
                Apply(row, ReminderPlanner.Plan(row.Slot, entry, startUtc, now, quiet, zone), now);
                continue;
            }
            var send = ReminderPlanner.SendTimeAgain(row, now, quiet, zone);
            if (send >= startUtc)
                Apply(row, new PlannedReminder(row.Slot, row.Channel, row.DueAtUtc, send, ReminderSkipReasons.TooLate), now);
            else if (send != row.SendAtUtc)
                row.SendAtUtc = send;
        }
        return withdrawn;
    }

    /// <summary>Scheduled, and not held by an instance that may be sending it right now.</summary>
    private static bool IsOpen(AppointmentReminder row, DateTime now) => row.Status == ReminderStatus.Scheduled && IsUnclaimed(row, now);

    private static bool IsUnclaimed(AppointmentReminder row, DateTime now) => row.ClaimedBy is null || row.LeaseExpiresAtUtc is null || row.LeaseExpiresAtUtc <= now;

    private static int Withdraw(IEnumerable<AppointmentReminder> rows, string reason, DateTime now)
    {
        var count = 0;
        foreach (var row in rows)
        {
            row.Status = ReminderStatus.Withdrawn;
            row.SkipReason = ReminderSkipReasons.Fit(reason);
            row.DoneAtUtc = now;
            WorkClaim.Release(row);
            count++;
        }
        return count;
    }

    private static void Apply(AppointmentReminder row, PlannedReminder plan, DateTime now)
    {
        row.DueAtUtc = plan.DueAtUtc;
        row.SendAtUtc = plan.SendAtUtc;
        row.Status = plan.SkipReason is null ? ReminderStatus.Scheduled : ReminderStatus.Skipped;
        row.SkipReason = plan.SkipReason;
        row.DoneAtUtc = plan.SkipReason is null ? null : now;
        WorkClaim.Release(row);
    }

    private static AppointmentReminder NewRow(int appointmentId, int clientId, DateTime startUtc, PlannedReminder plan, DateTime now)
    {
        var row = new AppointmentReminder
        {
            AppointmentId = appointmentId, ClientId = clientId, Channel = plan.Channel, Slot = plan.Slot, AppointmentStartUtc = startUtc, CreatedAtUtc = now,
        };
        Apply(row, plan, now);
        return row;
    }

    /// <returns>false when another instance changed a row first: this pass stops, and the next one starts from what is there.</returns>
    private async Task<bool> SaveChangesAsync(PortalDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Reminder planning met a change by another instance; the next pass plans again");
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>New rows in one write; if another instance planned some of them at the same moment, the rest one by one.</summary>
    private static async Task<int> InsertAsync(PortalDbContext db, List<AppointmentReminder> added, CancellationToken ct)
    {
        if (added.Count == 0)
            return 0;
        db.ChangeTracker.Clear();
        db.AppointmentReminders.AddRange(added);
        try
        {
            await db.SaveChangesAsync(ct);
            return added.Count;
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
        }
        var inserted = 0;
        foreach (var row in added)
        {
            row.Id = 0;
            db.AppointmentReminders.Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
                inserted++;
            }
            catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
            {
                // Planned by another instance a moment ago: theirs stands.
            }
            db.ChangeTracker.Clear();
        }
        return inserted;
    }
}
