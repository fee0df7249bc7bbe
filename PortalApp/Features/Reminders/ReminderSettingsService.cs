using Microsoft.EntityFrameworkCore;
using PortalApp.Features.Channels;
using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.Reminders;

/// <summary>The clinic's appointment reminder settings (Admin): read for the page, checked and saved with optimistic concurrency.</summary>
public sealed class ReminderSettingsService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ILogger<ReminderSettingsService> logger)
{
    public async Task<ReminderSettingsEditModel> GetForEditAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ReminderSettings.AsNoTracking().SingleAsync(s => s.Id == ReminderSettings.SingletonId, ct);
        // A schedule that no longer reads (written by hand) opens empty rather than not at all: the admin sets it again.
        var entries = ReminderSchedule.Parse(row.Schedule) is ReminderScheduleParse.Ok ok ? ok.Entries : [];
        return new ReminderSettingsEditModel
        {
            EmailOn = row.EmailOn, SmsOn = row.SmsOn, VoiceOn = row.VoiceOn,
            Schedule = entries.Select(ReminderScheduleRow.From).ToList(),
            QuietStart = QuietHours.Format(row.QuietStartMinute), QuietEnd = QuietHours.Format(row.QuietEndMinute),
            SkipConfirmed = row.SkipConfirmed, AllowOnlineCancel = row.AllowOnlineCancel, CancelCutoffHours = row.CancelCutoffHours,
            ShowAppointmentType = row.ShowAppointmentType, Version = row.Version,
        };
    }

    public async Task<ReminderSettingsSaveResult> SaveAsync(ReminderSettingsEditModel model, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            throw new UnauthorizedAccessException("Only an admin can change the reminder settings.");
        var errors = ReminderSettingsRules.Validate(model);
        if (errors.Count > 0)
            return new ReminderSettingsSaveResult.Invalid(errors);
        var entries = model.Schedule.Select(r => new ReminderScheduleEntry(r.Channel, r.Minutes!.Value)).ToList();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ReminderSettings.SingleAsync(s => s.Id == ReminderSettings.SingletonId, ct);
        if (row.Version != model.Version)
            return new ReminderSettingsSaveResult.Conflict(ReminderSettingsRules.ConflictMessage);
        row.EmailOn = model.EmailOn;
        row.SmsOn = model.SmsOn;
        row.VoiceOn = model.VoiceOn;
        row.Schedule = ReminderSchedule.Format(entries);
        row.QuietStartMinute = ReminderSettingsRules.MinuteOfDay(model.QuietStart)!.Value;
        row.QuietEndMinute = ReminderSettingsRules.MinuteOfDay(model.QuietEnd)!.Value;
        row.SkipConfirmed = model.SkipConfirmed;
        row.AllowOnlineCancel = model.AllowOnlineCancel;
        row.CancelCutoffHours = model.CancelCutoffHours;
        row.ShowAppointmentType = model.ShowAppointmentType;
        audit.Add(db, actor, AuditActions.ReminderSettingsEdit, null, AuditOutcome.Succeeded, Describe(row, entries));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ReminderSettingsSaveResult.Conflict(ReminderSettingsRules.ConflictMessage);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            logger.LogError("Reminder settings not saved: storage problem ({ErrorType})", ex.GetType().Name);
            return new ReminderSettingsSaveResult.Unsaved(DatabaseFailures.Message);
        }
        return new ReminderSettingsSaveResult.Saved(row.Version);
    }

    /// <summary>The settings as saved, in words, for the audit log (nothing about any patient).</summary>
    private static string Describe(ReminderSettings row, IReadOnlyList<ReminderScheduleEntry> entries)
    {
        return $"Channels on: {ReminderChannelText.List(ReminderChannelText.On(row))}; schedule: {(entries.Count == 0 ? "none" : string.Join(", ", entries.Select(ReminderSchedule.Describe)))}; "
            + $"quiet hours {QuietHours.Format(row.QuietStartMinute)}–{QuietHours.Format(row.QuietEndMinute)}; skip confirmed: {(row.SkipConfirmed ? "yes" : "no")}; "
            + $"online cancel: {(row.AllowOnlineCancel ? $"up to {row.CancelCutoffHours} h before" : "off")}; appointment type named: {(row.ShowAppointmentType ? "yes" : "no")}";
    }
}
