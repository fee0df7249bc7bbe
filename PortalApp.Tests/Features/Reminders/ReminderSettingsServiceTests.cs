using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Reminders;

[Trait("Providers", "Both")]
public sealed class ReminderSettingsServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;

    private ReminderSettingsService Settings => _host.Scoped<ReminderSettingsService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<ReminderSettings> StoredAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.ReminderSettings.AsNoTracking().SingleAsync();
    }

    private static ReminderScheduleRow Row(MessageChannel channel, int amount, ReminderUnit unit) => new() { Channel = channel, Amount = amount, Unit = unit };

    [Fact]
    public async Task A_new_clinic_reminds_by_email_two_days_before_with_quiet_hours_at_night()
    {
        var model = await Settings.GetForEditAsync();

        Assert.Equal((true, false, false), (model.EmailOn, model.SmsOn, model.VoiceOn));
        Assert.Equal([(MessageChannel.Email, 2, ReminderUnit.Days), (MessageChannel.Sms, 1, ReminderUnit.Days)], model.Schedule.Select(r => (r.Channel, r.Amount, r.Unit)));
        Assert.Equal(("21:00", "08:00"), (model.QuietStart, model.QuietEnd));
        Assert.Equal((true, true, 24, false), (model.SkipConfirmed, model.AllowOnlineCancel, model.CancelCutoffHours, model.ShowAppointmentType));
    }

    [Fact]
    public async Task An_admin_saves_the_settings_and_the_change_is_audited_without_patient_data()
    {
        var model = await Settings.GetForEditAsync();
        (model.SmsOn, model.VoiceOn, model.QuietStart, model.QuietEnd, model.CancelCutoffHours, model.ShowAppointmentType) = (true, true, "20:30", "07:45", 48, true);
        model.Schedule = [Row(MessageChannel.Sms, 36, ReminderUnit.Hours), Row(MessageChannel.Voice, 2, ReminderUnit.Hours)];

        var saved = Assert.IsType<ReminderSettingsSaveResult.Saved>(await Settings.SaveAsync(model, Staff.Admin));

        var stored = await StoredAsync();
        Assert.Equal(("Sms:2160;Voice:120", 20 * 60 + 30, 7 * 60 + 45, 48, true, saved.Version), (stored.Schedule, stored.QuietStartMinute, stored.QuietEndMinute,
            stored.CancelCutoffHours, stored.ShowAppointmentType, stored.Version));
        await using var db = await _host.DbAsync();
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == AuditActions.ReminderSettingsEdit);
        Assert.Equal((Staff.Admin.UserId, (int?)null), (audit.StaffUserId, audit.ClientId));
        Assert.Equal("Channels on: Email, Text message, Voice call; schedule: Text message 36 hours before, Voice call 2 hours before; quiet hours 20:30–07:45; "
            + "skip confirmed: yes; online cancel: up to 48 h before; appointment type named: yes", audit.Details);
    }

    [Theory]
    [InlineData("four rows", "Schedule", "A clinic can send at most 3 reminders per appointment.")]
    [InlineData("zero", "Schedule[0]", "From 1 hour to 14 days (336 hours) before the appointment.")]
    [InlineData("fifteen days", "Schedule[0]", "From 1 hour to 14 days (336 hours) before the appointment.")]
    [InlineData("huge", "Schedule[0]", "From 1 hour to 14 days (336 hours) before the appointment.")]
    [InlineData("unknown channel", "Schedule[0]", "Choose Email, Text message or Voice call.")]
    [InlineData("same twice", "Schedule[1]", "The same reminder is already in the schedule: remove one of them.")]
    [InlineData("48 hours and 2 days", "Schedule[1]", "The same reminder is already in the schedule: remove one of them.")]
    [InlineData("no start", "QuietStart", "Enter a time of day, like 21:00.")]
    [InlineData("bad end", "QuietEnd", "Enter a time of day, like 21:00.")]
    [InlineData("cutoff", "CancelCutoffHours", "From 0 (until the appointment starts) to 168 hours.")]
    public async Task Settings_outside_the_rules_are_refused_with_what_to_fix_and_nothing_is_saved(string what, string field, string message)
    {
        var model = await Settings.GetForEditAsync();
        switch (what)
        {
            case "four rows": model.Schedule = [.. Enumerable.Range(1, 4).Select(h => Row(MessageChannel.Email, h, ReminderUnit.Hours))]; break;
            case "zero": model.Schedule[0].Amount = 0; break;
            case "fifteen days": model.Schedule[0].Amount = 15; break;
            case "huge": model.Schedule[0].Amount = int.MaxValue; break;
            case "unknown channel": model.Schedule[0].Channel = (MessageChannel)42; break;
            case "same twice": model.Schedule = [Row(MessageChannel.Sms, 1, ReminderUnit.Days), Row(MessageChannel.Sms, 1, ReminderUnit.Days)]; break;
            case "48 hours and 2 days": model.Schedule = [Row(MessageChannel.Email, 48, ReminderUnit.Hours), Row(MessageChannel.Email, 2, ReminderUnit.Days)]; break;
            case "no start": model.QuietStart = ""; break;
            case "bad end": model.QuietEnd = "25:00"; break;
            case "cutoff": model.CancelCutoffHours = 169; break;
        }
        var before = await StoredAsync();

        var invalid = Assert.IsType<ReminderSettingsSaveResult.Invalid>(await Settings.SaveAsync(model, Staff.Admin));

        Assert.Equal(message, invalid.Errors[field]);
        Assert.Equal(before.Version, (await StoredAsync()).Version);
    }

    [Fact]
    public async Task Settings_saved_by_someone_else_meanwhile_are_not_overwritten()
    {
        var mine = await Settings.GetForEditAsync();
        var theirs = await Settings.GetForEditAsync();
        theirs.SmsOn = true;
        Assert.IsType<ReminderSettingsSaveResult.Saved>(await Settings.SaveAsync(theirs, Staff.Admin));

        mine.VoiceOn = true;
        var conflict = Assert.IsType<ReminderSettingsSaveResult.Conflict>(await Settings.SaveAsync(mine, Staff.Admin));

        Assert.StartsWith("Someone else changed these settings while you were editing.", conflict.Message);
        Assert.Equal((true, false), ((await StoredAsync()).SmsOn, (await StoredAsync()).VoiceOn));
    }

    [Fact]
    public async Task Admins_saving_at_the_same_moment_from_one_version_save_once()
    {
        const int racers = 6;
        var forms = new List<ReminderSettingsEditModel>();
        for (var i = 0; i < racers; i++)
        {
            var form = await Settings.GetForEditAsync();
            form.CancelCutoffHours = i;
            forms.Add(form);
        }
        using var barrier = new Barrier(racers);
        // Each save starts on a thread of its own once all are ready, so they all pass the version check before any writes.
        var results = await Task.WhenAll(forms.Select(form => Task.Factory.StartNew(async () =>
        {
            Assert.True(barrier.SignalAndWait(TimeSpan.FromSeconds(30)));
            return await _host.Scoped<ReminderSettingsService>().SaveAsync(form, Staff.Admin);
        }, TaskCreationOptions.LongRunning).Unwrap()));

        Assert.Single(results.OfType<ReminderSettingsSaveResult.Saved>());
        Assert.Equal(racers - 1, results.OfType<ReminderSettingsSaveResult.Conflict>().Count());
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.ReminderSettingsEdit));
    }

    [Fact]
    public async Task Only_an_admin_may_change_the_settings() =>
        await Assert.ThrowsAsync<UnauthorizedAccessException>(async () => await Settings.SaveAsync(await Settings.GetForEditAsync(), Staff.FrontDesk));
}
