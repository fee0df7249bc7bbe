using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Reminders;

/// <summary>
/// Planning and sending reminders for bookings, reschedules and cancellations. The clock starts on Wednesday 4 March
/// 2026, 10:00 in Toronto (EST); the clocks go forward on Sunday 8 March. The clinic reminds by email 2 days before and
/// by text 1 day before, with quiet hours 21:00–08:00.
/// </summary>
[Trait("Providers", "Both")]
public sealed class ReminderDispatcherTests : IAsyncLifetime
{
    /// <summary>Monday 9 March 2026, 10:00 in Toronto (EDT).</summary>
    private static readonly DateTime MondayTenAm = new(2026, 3, 9, 14, 0, 0, DateTimeKind.Utc);

    /// <summary>Two days before: Saturday 7 March, 09:00 EST. One day before: Sunday 8 March, 10:00 EDT.</summary>
    private static readonly DateTime EmailDue = MondayTenAm.AddDays(-2), TextDue = MondayTenAm.AddDays(-1);

    private ServiceTestHost _host = null!;
    private Client _emma = null!;

    private ReminderDispatcher Dispatcher => _host.Scoped<ReminderDispatcher>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
        await _host.ReminderSettingsAsync(s => s.SmsOn = true);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private void At(DateTime utc) => _host.Time.SetUtcNow(utc);

    private Task<ReminderPass> RunAsync() => Dispatcher.RunOnceAsync();

    [Fact]
    public async Task A_booking_gets_an_email_two_days_and_a_text_one_day_before_each_sent_once()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);

        Assert.Equal(new ReminderPass(2, 0, 0, 0), await RunAsync());
        Assert.Equal(new ReminderPass(0, 0, 0, 0), await RunAsync());
        var planned = await _host.RemindersAsync();
        Assert.Equal([(MessageChannel.Email, 0, EmailDue, EmailDue), (MessageChannel.Sms, 1, TextDue, TextDue)],
            planned.Select(r => (r.Channel, r.Slot, r.DueAtUtc, r.SendAtUtc)));
        Assert.All(planned, r => Assert.Equal((monday.Id, _emma.Id, MondayTenAm, ReminderStatus.Scheduled), (r.AppointmentId, r.ClientId, r.AppointmentStartUtc, r.Status)));

        At(EmailDue.AddMinutes(-1));
        Assert.Equal(0, (await RunAsync()).Sent);
        At(EmailDue);
        Assert.Equal(1, (await RunAsync()).Sent);
        Assert.Equal(0, (await RunAsync()).Sent);
        At(TextDue);
        Assert.Equal(1, (await RunAsync()).Sent);
        At(MondayTenAm.AddHours(-1));
        Assert.Equal(new ReminderPass(0, 0, 0, 0), await RunAsync());

        var messages = await _host.MessagesAsync();
        Assert.Equal([(MessageChannel.Email, "emma.smith@example.com"), (MessageChannel.Sms, "+14165550101")], messages.Select(m => (m.Channel, m.Recipient)));
        Assert.All(messages, m => Assert.Equal((ReminderDispatcher.Kind, _emma.Id, monday.Id), (m.Kind, m.ClientId, m.AppointmentId)));
        Assert.Equal(messages.Select(m => (long?)m.Id), (await _host.RemindersAsync()).Select(r => r.OutboundMessageId));
        Assert.All(await _host.RemindersAsync(), r => Assert.Equal((ReminderStatus.Sent, (string?)null), (r.Status, r.ClaimedBy)));
        Assert.NotNull(messages[0].OutboxEmail);
    }

    [Fact]
    public async Task The_link_in_a_reminder_confirms_that_appointment_and_is_never_stored_in_clear()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();
        At(TextDue);
        await RunAsync();

        foreach (var message in await _host.MessagesAsync())
        {
            var token = Regex.Match(_host.Delivered(message), "https://portal.clinic.example/appointment/([A-Za-z0-9_-]{43})").Groups[1].Value;
            Assert.NotEmpty(token);
            Assert.DoesNotContain(token, message.Body);
            Assert.DoesNotContain(token, message.OutboxEmail?.HtmlBody ?? "");
            Assert.DoesNotContain(token, message.ProtectedSecret ?? message.OutboxEmail!.ProtectedSecret!);
            await using var db = await _host.DbAsync();
            var link = await ReminderLinks.FindUsableAsync(db, token, TextDue, default);
            Assert.Equal((monday.Id, _emma.Id, MondayTenAm), (link!.AppointmentId, link.ClientId, link.ExpiresAtUtc));
        }
    }

    [Fact]
    public async Task A_reminder_says_when_where_and_with_whom_and_nothing_more()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, "Dr. Liam Chen", "Prenatal visit");
        await _host.AppointmentAsync(monday.Id, a => a.ChartNote = "Gestational diabetes screen");
        await RunAsync();
        At(TextDue);
        await RunAsync();

        var messages = await _host.MessagesAsync();
        var (email, text) = (_host.Delivered(messages.Single(m => m.Channel == MessageChannel.Email)), _host.Delivered(messages.Single(m => m.Channel == MessageChannel.Sms)));
        Assert.Contains("When: Monday 9 March 2026 at 10:00 AM", email);
        Assert.Contains("With: Dr. Liam Chen", email);
        Assert.Contains("Where: Room 1", email);
        Assert.StartsWith("Test Clinic: reminder of your appointment on Monday 9 March 2026 at 10:00 AM with Dr. Liam Chen, Room 1. Confirm or cancel: https://", text);
        foreach (var message in new[] { email, text })
        {
            Assert.DoesNotContain("Prenatal", message);
            Assert.DoesNotContain("diabetes", message);
            Assert.DoesNotContain("Smith", message);
        }
    }

    [Fact]
    public async Task The_appointment_type_is_named_only_when_the_clinic_turns_it_on()
    {
        await _host.ReminderSettingsAsync(s => s.ShowAppointmentType = true);
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, "Dr. Liam Chen", "Prenatal visit");
        await RunAsync();
        At(TextDue);
        await RunAsync();

        var messages = (await _host.MessagesAsync()).ToDictionary(m => m.Channel);
        Assert.Contains("For: Prenatal visit", _host.Delivered(messages[MessageChannel.Email]));
        Assert.Contains("with Dr. Liam Chen (Prenatal visit), Room 1.", _host.Delivered(messages[MessageChannel.Sms]));
    }

    [Fact]
    public async Task Reminders_are_written_in_the_clients_language_on_every_channel()
    {
        await _host.ReminderSettingsAsync(s => (s.VoiceOn, s.Schedule) = (true, "Email:2880;Sms:1440;Voice:120"));
        await _host.ClientAsync(_emma.Id, c => (c.PreferredLanguage, c.PreferredName) = (ClientLanguage.French, "Emmanuelle"));
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, "Dr. Liam Chen");
        await _host.AppointmentAsync(monday.Id, a => a.IsVideo = true);
        await RunAsync();
        At(MondayTenAm.AddHours(-2));
        await RunAsync();

        var all = await _host.MessagesAsync();
        Assert.All(all, m => Assert.Equal(ClientLanguage.French, m.Language));
        var messages = all.ToDictionary(m => m.Channel);
        var email = messages[MessageChannel.Email];
        Assert.Equal("Rappel : votre rendez-vous du lundi 9 mars 2026", email.Subject);
        Assert.Contains("Bonjour Emmanuelle,", _host.Delivered(email));
        Assert.Contains("Quand : lundi 9 mars 2026 à 10 h 00", _host.Delivered(email));
        Assert.Contains("Où : consultation vidéo", _host.Delivered(email));
        Assert.StartsWith("Test Clinic : rappel de votre rendez-vous le lundi 9 mars 2026 à 10 h 00 avec Dr. Liam Chen, consultation vidéo. Confirmer ou annuler : https://",
            _host.Delivered(messages[MessageChannel.Sms]));
        Assert.Equal("Bonjour Emmanuelle. Ici Test Clinic, pour vous rappeler votre rendez-vous le lundi 9 mars 2026 à 10 h 00 avec Dr. Liam Chen, consultation vidéo.",
            messages[MessageChannel.Voice].Body);
        Assert.Null(messages[MessageChannel.Voice].ProtectedSecret); // a call takes keys, not a link
    }

    [Fact]
    public async Task A_rescheduled_appointment_withdraws_the_reminders_for_the_old_time_and_plans_the_new_ones()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();

        await _host.AppointmentAsync(monday.Id, a => (a.StartUtc, a.EndUtc) = (MondayTenAm.AddDays(1), MondayTenAm.AddDays(1).AddMinutes(30)));
        Assert.Equal(new ReminderPass(2, 2, 0, 0), await RunAsync());

        Assert.Equal([(MessageChannel.Email, ReminderStatus.Withdrawn, ReminderSkipReasons.Moved), (MessageChannel.Sms, ReminderStatus.Withdrawn, ReminderSkipReasons.Moved),
            (MessageChannel.Email, ReminderStatus.Scheduled, null), (MessageChannel.Sms, ReminderStatus.Scheduled, null)], await _host.StatesAsync());
        At(TextDue);
        Assert.Equal(1, (await RunAsync()).Sent); // Tuesday's email, two days before; Monday's text no longer goes
        Assert.Equal([MessageChannel.Email], (await _host.MessagesAsync()).Select(m => m.Channel));

        await _host.AppointmentAsync(monday.Id, a => (a.StartUtc, a.EndUtc) = (MondayTenAm, MondayTenAm.AddMinutes(30)));
        await RunAsync();
        // Moved back: Monday's reminders are planned again and both go now (the email is overdue, the text due); Tuesday's unsent text is withdrawn.
        Assert.Equal([(MessageChannel.Email, ReminderStatus.Sent, (string?)null), (MessageChannel.Sms, ReminderStatus.Sent, null),
            (MessageChannel.Email, ReminderStatus.Sent, null), (MessageChannel.Sms, ReminderStatus.Withdrawn, ReminderSkipReasons.Moved)], await _host.StatesAsync());
    }

    [Fact]
    public async Task A_cancelled_appointment_withdraws_its_unsent_reminders_and_nothing_goes()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();
        At(EmailDue);
        await RunAsync();

        await _host.AppointmentAsync(monday.Id, a => (a.Status, a.CancelReason) = (AppointmentStatus.Cancelled, "Feeling better"));
        Assert.Equal(new ReminderPass(0, 1, 0, 0), await RunAsync());
        At(TextDue);
        Assert.Equal(new ReminderPass(0, 0, 0, 0), await RunAsync());

        Assert.Equal([(MessageChannel.Email, ReminderStatus.Sent, null), (MessageChannel.Sms, ReminderStatus.Withdrawn, "Appointment cancelled")], await _host.StatesAsync());
        Assert.Single(await _host.MessagesAsync());
    }

    [Fact]
    public async Task A_changed_schedule_retimes_unsent_reminders_and_withdraws_those_whose_channel_changed()
    {
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();

        // The email now goes 3 days before, and the second reminder is a call 2 hours before instead of a text.
        await _host.ReminderSettingsAsync(s => (s.VoiceOn, s.Schedule) = (true, "Email:4320;Voice:120"));
        Assert.Equal(new ReminderPass(1, 1, 0, 0), await RunAsync());

        var rows = await _host.RemindersAsync();
        Assert.Equal([(MessageChannel.Email, ReminderStatus.Scheduled, MondayTenAm.AddDays(-3)), (MessageChannel.Sms, ReminderStatus.Withdrawn, TextDue),
            (MessageChannel.Voice, ReminderStatus.Scheduled, MondayTenAm.AddHours(-2))], rows.Select(r => (r.Channel, r.Status, r.DueAtUtc)));
        Assert.Equal(ReminderSkipReasons.ScheduleChanged, rows[1].SkipReason);
    }

    [Fact]
    public async Task Quiet_hours_changed_after_planning_move_the_reminders_not_yet_sent()
    {
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();

        await _host.ReminderSettingsAsync(s => (s.QuietStartMinute, s.QuietEndMinute) = (8 * 60 + 30, 11 * 60)); // 08:30–11:00
        await RunAsync();

        // Saturday 09:00 and Sunday 10:00 are inside them now: both wait until 11:00.
        Assert.Equal([EmailDue.AddHours(2), TextDue.AddHours(1)], (await _host.RemindersAsync()).Select(r => r.SendAtUtc));
    }

    [Fact]
    public async Task A_reminder_due_in_the_quiet_hours_waits_until_they_end()
    {
        await _host.ReminderSettingsAsync(s => s.Schedule = "Sms:720");
        // Friday 6 March 09:00 EST: due 21:00 on Thursday, inside the quiet hours; it goes at 08:00 on Friday.
        var friday = new DateTime(2026, 3, 6, 14, 0, 0, DateTimeKind.Utc);
        await _host.AddAppointmentAsync(_emma.Id, friday);
        await RunAsync();
        Assert.Equal(friday.AddHours(-1), Assert.Single(await _host.RemindersAsync()).SendAtUtc);

        At(friday.AddHours(-12));
        Assert.Equal(0, (await RunAsync()).Sent);
        At(friday.AddHours(-1));
        Assert.Equal(1, (await RunAsync()).Sent);
    }

    [Fact]
    public async Task Without_quiet_hours_a_reminder_goes_at_night()
    {
        await _host.ReminderSettingsAsync(s => (s.Schedule, s.QuietStartMinute, s.QuietEndMinute) = ("Sms:720", 8 * 60, 8 * 60));
        var friday = new DateTime(2026, 3, 6, 14, 0, 0, DateTimeKind.Utc);
        await _host.AddAppointmentAsync(_emma.Id, friday);
        await RunAsync();

        Assert.Equal(friday.AddHours(-12), Assert.Single(await _host.RemindersAsync()).SendAtUtc);
    }

    [Fact]
    public async Task A_reminder_the_quiet_hours_would_push_past_the_start_is_skipped_as_too_late()
    {
        await _host.ReminderSettingsAsync(s => s.Schedule = "Sms:60");
        await _host.AddAppointmentAsync(_emma.Id, new DateTime(2026, 3, 6, 12, 30, 0, DateTimeKind.Utc)); // 07:30: due 06:30, quiet until 08:00

        Assert.Equal(new ReminderPass(1, 0, 0, 0), await RunAsync());
        Assert.Equal([(MessageChannel.Sms, ReminderStatus.Skipped, ReminderSkipReasons.TooLate)], await _host.StatesAsync());
    }

    [Fact]
    public async Task On_the_days_the_clocks_change_a_reminder_held_by_the_quiet_hours_goes_at_8_am_local()
    {
        // Spring: Sunday 8 March 10:00 EDT; 11 hours before is 22:00 EST on Saturday; 08:00 EDT on Sunday is 12:00 UTC.
        await _host.ReminderSettingsAsync(s => s.Schedule = "Sms:660");
        await _host.AddAppointmentAsync(_emma.Id, new DateTime(2026, 3, 8, 14, 0, 0, DateTimeKind.Utc));
        await RunAsync();
        Assert.Equal(new DateTime(2026, 3, 8, 12, 0, 0, DateTimeKind.Utc), Assert.Single(await _host.RemindersAsync()).SendAtUtc);

        // Fall: Sunday 1 November 10:00 EST; 12 hours before is 23:00 EDT on Saturday; 08:00 EST on Sunday is 13:00 UTC.
        At(new DateTime(2026, 10, 30, 12, 0, 0, DateTimeKind.Utc));
        await _host.ReminderSettingsAsync(s => s.Schedule = "Sms:720");
        await _host.AddAppointmentAsync(_emma.Id, new DateTime(2026, 11, 1, 15, 0, 0, DateTimeKind.Utc));
        await RunAsync();
        var fall = (await _host.RemindersAsync()).Last();
        Assert.Equal((new DateTime(2026, 11, 1, 3, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 1, 13, 0, 0, DateTimeKind.Utc)), (fall.DueAtUtc, fall.SendAtUtc));
        At(new DateTime(2026, 11, 1, 12, 59, 0, DateTimeKind.Utc));
        Assert.Equal(0, (await RunAsync()).Sent);
        At(new DateTime(2026, 11, 1, 13, 0, 0, DateTimeKind.Utc));
        Assert.Equal(1, (await RunAsync()).Sent);
    }

    [Fact]
    public async Task A_booking_made_after_a_reminders_time_gets_it_at_once_outside_the_quiet_hours()
    {
        // Booked on Wednesday 10:00 for Thursday 09:00: the email was due on Tuesday, so it goes now; the text is due Wednesday 09:00, passed too.
        var thursday = new DateTime(2026, 3, 5, 14, 0, 0, DateTimeKind.Utc);
        await _host.AddAppointmentAsync(_emma.Id, thursday);
        Assert.Equal(new ReminderPass(2, 0, 2, 0), await RunAsync());

        // Booked at 22:00 on Wednesday for Friday 09:00: the email was due at 09:00 on Wednesday, and waits until 08:00 on Thursday.
        At(new DateTime(2026, 3, 5, 3, 0, 0, DateTimeKind.Utc));
        var friday = new DateTime(2026, 3, 6, 14, 0, 0, DateTimeKind.Utc);
        await _host.AddAppointmentAsync(_emma.Id, friday);
        Assert.Equal(new ReminderPass(2, 0, 0, 0), await RunAsync());
        var email = (await _host.RemindersAsync()).Single(r => r.AppointmentStartUtc == friday && r.Channel == MessageChannel.Email);
        Assert.Equal(new DateTime(2026, 3, 5, 13, 0, 0, DateTimeKind.Utc), email.SendAtUtc);
    }

    [Fact]
    public async Task A_booking_made_within_the_hour_before_the_start_gets_no_reminder_and_says_why()
    {
        await _host.AddAppointmentAsync(_emma.Id, ServiceTestHost.Start.UtcDateTime.AddMinutes(50));

        Assert.Equal(new ReminderPass(2, 0, 0, 0), await RunAsync());
        Assert.Equal([(MessageChannel.Email, ReminderStatus.Skipped, ReminderSkipReasons.TooLate), (MessageChannel.Sms, ReminderStatus.Skipped, ReminderSkipReasons.TooLate)],
            await _host.StatesAsync());
        Assert.Empty(await _host.MessagesAsync());
    }

    [Fact]
    public async Task Overdue_reminders_of_one_channel_send_only_the_latest()
    {
        await _host.ReminderSettingsAsync(s => s.Schedule = "Email:2880;Email:1440");
        await _host.AddAppointmentAsync(_emma.Id, ServiceTestHost.Start.UtcDateTime.AddHours(12));

        Assert.Equal(new ReminderPass(2, 0, 1, 0), await RunAsync());
        Assert.Equal([(MessageChannel.Email, ReminderStatus.Skipped, ReminderSkipReasons.Superseded), (MessageChannel.Email, ReminderStatus.Sent, null)],
            await _host.StatesAsync());
    }

    [Fact]
    public async Task Back_to_back_appointments_make_one_reminder_naming_the_first_start_and_every_practitioner()
    {
        await _host.ReminderSettingsAsync(s => s.SmsOn = false);
        var first = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm, "Dr. Amara Okafor");
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm.AddMinutes(40), "Dr. Liam Chen"); // 10 minutes after the first ends
        var apart = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm.AddMinutes(90), "Dr. Amara Okafor"); // 20 minutes after: a visit of its own
        var noah = await _host.AddClientAsync("Noah", "Tremblay", email: "noah@example.com");
        var noahs = await _host.AddAppointmentAsync(noah.Id, MondayTenAm.AddMinutes(30), "Dr. Liam Chen"); // another patient's is not part of Emma's run

        Assert.Equal(3, (await RunAsync()).Planned);
        Assert.Equal([first.Id, noahs.Id, apart.Id], (await _host.RemindersAsync()).Select(r => r.AppointmentId));
        At(EmailDue.AddHours(2));
        Assert.Equal(3, (await RunAsync()).Sent);

        var emmas = (await _host.MessagesAsync()).Where(m => m.ClientId == _emma.Id).Select(_host.Delivered).ToList();
        Assert.Equal(2, emmas.Count);
        Assert.Contains("With: Dr. Amara Okafor and Dr. Liam Chen", emmas.Single(t => t.Contains("When: Monday 9 March 2026 at 10:00 AM")));
        var apartText = emmas.Single(t => t.Contains("When: Monday 9 March 2026 at 11:30 AM"));
        Assert.Contains("With: Dr. Amara Okafor", apartText);
        Assert.DoesNotContain("Chen", apartText);
    }

    [Fact]
    public async Task An_earlier_back_to_back_booking_takes_over_the_reminder_and_gives_it_back_when_cancelled()
    {
        var ten = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();

        var quarterToTen = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm.AddMinutes(-45)); // ends 09:45, 15 minutes before
        Assert.Equal(new ReminderPass(2, 2, 0, 0), await RunAsync());
        var covered = "Reminded with the appointment at 09:15 (back-to-back)";
        Assert.Equal([(quarterToTen.Id, ReminderStatus.Scheduled, (string?)null), (quarterToTen.Id, ReminderStatus.Scheduled, null),
            (ten.Id, ReminderStatus.Withdrawn, covered), (ten.Id, ReminderStatus.Withdrawn, covered)],
            (await _host.RemindersAsync()).Select(r => (r.AppointmentId, r.Status, r.SkipReason)));

        await _host.AppointmentAsync(quarterToTen.Id, a => a.Status = AppointmentStatus.Cancelled);
        await RunAsync();
        Assert.Equal([(quarterToTen.Id, ReminderStatus.Withdrawn), (quarterToTen.Id, ReminderStatus.Withdrawn), (ten.Id, ReminderStatus.Scheduled), (ten.Id, ReminderStatus.Scheduled)],
            (await _host.RemindersAsync()).Select(r => (r.AppointmentId, r.Status)));
    }

    [Theory]
    [InlineData("end-dated", "Client is end-dated")]
    [InlineData("opted out", "Opted out of texts")]
    [InlineData("no mobile", "No mobile number on the card")]
    [InlineData("texts off", "Text message reminders are turned off")]
    [InlineData("chose email", "The client chose other channels")]
    [InlineData("confirmed", "Already confirmed")]
    [InlineData("down until the start", "Too late")]
    public async Task A_text_that_cannot_go_is_skipped_with_the_reason(string what, string reason)
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();
        At(EmailDue);
        await RunAsync();
        switch (what)
        {
            case "end-dated": await _host.ClientAsync(_emma.Id, c => c.EndDate = DateOnly.FromDateTime(TextDue)); break;
            case "opted out": await _host.ClientAsync(_emma.Id, c => c.SmsOptOutAtUtc = EmailDue); break;
            case "no mobile": await _host.ClientAsync(_emma.Id, c => (c.MobilePhone, c.MobilePhoneDigits) = (null, null)); break;
            case "texts off": await _host.ReminderSettingsAsync(s => s.SmsOn = false); break;
            case "chose email": await _host.ClientAsync(_emma.Id, c => c.ReminderChannels = "Email"); break;
            case "confirmed": await _host.AppointmentAsync(monday.Id, a => (a.ConfirmedAtUtc, a.ConfirmedVia) = (EmailDue, "reminder link")); break;
        }

        At(what == "down until the start" ? MondayTenAm : TextDue);
        Assert.Equal(new ReminderPass(0, 0, 0, 1), await RunAsync());

        Assert.Equal((MessageChannel.Sms, ReminderStatus.Skipped, reason), (await _host.StatesAsync())[1]);
        Assert.Equal([MessageChannel.Email], (await _host.MessagesAsync()).Select(m => m.Channel));
    }

    [Fact]
    public async Task An_email_to_a_client_without_an_address_is_skipped_with_the_reason()
    {
        await _host.ClientAsync(_emma.Id, c => c.Email = null);
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();
        At(EmailDue);

        Assert.Equal(new ReminderPass(0, 0, 0, 1), await RunAsync());
        Assert.Equal((MessageChannel.Email, ReminderStatus.Skipped, "No email address on the card"), (await _host.StatesAsync())[0]);
    }

    [Fact]
    public async Task A_confirmed_appointment_is_still_reminded_when_the_clinic_says_so()
    {
        await _host.ReminderSettingsAsync(s => s.SkipConfirmed = false);
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await _host.AppointmentAsync(monday.Id, a => (a.ConfirmedAtUtc, a.ConfirmedVia) = (ServiceTestHost.Start.UtcDateTime, "staff"));
        await RunAsync();
        At(EmailDue);

        Assert.Equal(1, (await RunAsync()).Sent);
    }

    [Fact]
    public async Task An_appointment_cancelled_after_its_reminder_was_claimed_is_withdrawn_not_sent()
    {
        var monday = await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();
        At(EmailDue);
        var sender = _host.Scoped<ReminderSender>();
        var claimed = Assert.Single(await sender.ClaimDueAsync(default));

        await _host.AppointmentAsync(monday.Id, a => a.Status = AppointmentStatus.Cancelled);
        Assert.Equal(ReminderSendOutcome.Withdrawn, await sender.SendClaimedAsync(claimed, await sender.LoadPassAsync(default), default));

        Assert.Equal((MessageChannel.Email, ReminderStatus.Withdrawn, "Appointment cancelled"), (await _host.StatesAsync())[0]);
        Assert.Empty(await _host.MessagesAsync());
    }

    [Fact]
    public async Task A_client_who_opts_out_of_texts_and_back_in_gets_the_texts_due_after()
    {
        await _host.ReminderSettingsAsync(s => s.Schedule = "Sms:2880;Sms:1440");
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();
        var preferences = _host.Scoped<ReminderPreferencesService>();
        var form = (await preferences.GetAsync(_emma.Id))!.ToForm();
        form.SmsOptedOut = true;
        Assert.IsType<ReminderPreferencesSaveResult.Saved>(await preferences.SaveAsync(_emma.Id, form, Staff.FrontDesk));

        At(EmailDue);
        Assert.Equal(1, (await RunAsync()).Skipped);
        form = (await preferences.GetAsync(_emma.Id))!.ToForm();
        form.SmsOptedOut = false;
        Assert.IsType<ReminderPreferencesSaveResult.Saved>(await preferences.SaveAsync(_emma.Id, form, Staff.FrontDesk));
        At(TextDue);
        Assert.Equal(1, (await RunAsync()).Sent);

        Assert.Equal([(MessageChannel.Sms, ReminderStatus.Skipped, "Opted out of texts"), (MessageChannel.Sms, ReminderStatus.Sent, null)], await _host.StatesAsync());
    }

    [Fact]
    public async Task Two_instances_dispatching_at_once_plan_and_send_each_reminder_once()
    {
        const int clients = 12;
        for (var i = 0; i < clients; i++)
        {
            var client = await _host.AddClientAsync($"Client{i}", "Racer", email: $"racer{i}@example.com", phone: $"(416) 555-01{i:00}");
            await _host.AddAppointmentAsync(client.Id, MondayTenAm.AddMinutes(30 * i));
        }
        await using var other = await _host.StartSiblingAsync(new Dictionary<string, string?> { ["Instance:Name"] = "web-b", ["Reminders:BatchSize"] = "5" });
        At(TextDue.AddHours(6));
        other.Time.SetUtcNow(TextDue.AddHours(6));

        using var barrier = new Barrier(2);
        // Each pass starts on a thread of its own once both are ready, so they plan and claim at the same moment.
        var passes = await Task.WhenAll(new[] { _host, other }.Select(host => Task.Factory.StartNew(async () =>
        {
            Assert.True(barrier.SignalAndWait(TimeSpan.FromSeconds(30)));
            return await host.Scoped<ReminderDispatcher>().RunOnceAsync();
        }, TaskCreationOptions.LongRunning).Unwrap()));

        Assert.Equal(2 * clients, passes.Sum(p => p.Sent));
        var reminders = await _host.RemindersAsync();
        Assert.Equal(2 * clients, reminders.Count);
        Assert.All(reminders, r => Assert.Equal(ReminderStatus.Sent, r.Status));
        var messages = await _host.MessagesAsync();
        Assert.Equal(2 * clients, messages.Count);
        Assert.Equal(reminders.Select(r => r.OutboundMessageId).Order(), messages.Select(m => (long?)m.Id).Order());
    }

    [Fact]
    public async Task A_reminder_claimed_by_an_instance_that_died_goes_once_when_its_lease_ends()
    {
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();
        At(EmailDue);
        await using (var db = await _host.DbAsync())
        {
            // What web-dead's claim left behind when it was killed between the claim and the send.
            var row = await db.AppointmentReminders.SingleAsync(r => r.Channel == MessageChannel.Email);
            (row.ClaimedBy, row.LeaseExpiresAtUtc) = ("web-dead", EmailDue.AddMinutes(2));
            await db.SaveChangesAsync();
        }

        Assert.Equal(0, (await RunAsync()).Sent);
        At(EmailDue.AddMinutes(2));
        Assert.Equal(1, (await RunAsync()).Sent);
        Assert.Equal(0, (await RunAsync()).Sent);
        Assert.Single(await _host.MessagesAsync());
    }

    [Fact]
    public async Task An_instance_whose_claim_ran_out_and_was_taken_over_cannot_send_the_reminder_again()
    {
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await RunAsync();
        At(EmailDue);
        var slow = _host.Scoped<ReminderSender>();
        var pass = await slow.LoadPassAsync(default);
        var claimed = Assert.Single(await slow.ClaimDueAsync(default));

        At(EmailDue.AddMinutes(3)); // the slow instance's lease has run out: another one claims the reminder and sends it
        Assert.Equal(1, (await RunAsync()).Sent);

        Assert.Equal(ReminderSendOutcome.Lost, await slow.SendClaimedAsync(claimed, pass, default));
        Assert.Single(await _host.MessagesAsync());
        await using var db = await _host.DbAsync();
        Assert.Single(await db.ReminderLinks.ToListAsync());
        Assert.Single(await db.OutboxEmails.ToListAsync());
    }

    [Fact]
    public async Task A_batch_with_one_reminder_taken_over_still_sends_the_others_once()
    {
        var noah = await _host.AddClientAsync("Noah", "Tremblay", email: "noah@example.com");
        await _host.AddAppointmentAsync(_emma.Id, MondayTenAm);
        await _host.AddAppointmentAsync(noah.Id, MondayTenAm.AddHours(1));
        await RunAsync();
        At(EmailDue.AddHours(1));
        var slow = _host.Scoped<ReminderSender>();
        var pass = await slow.LoadPassAsync(default);
        var claimed = await slow.ClaimDueAsync(default);
        Assert.Equal(2, claimed.Count);

        // The slow instance's lease runs out; another, claiming one at a time, takes the first and sends it.
        await using var other = await _host.StartSiblingAsync(new Dictionary<string, string?> { ["Instance:Name"] = "web-b", ["Reminders:BatchSize"] = "1" });
        At(EmailDue.AddHours(1).AddMinutes(3));
        other.Time.SetUtcNow(EmailDue.AddHours(1).AddMinutes(3));
        var fast = other.Scoped<ReminderSender>();
        Assert.Equal(ReminderSendOutcome.Sent, await fast.SendClaimedAsync(Assert.Single(await fast.ClaimDueAsync(default)), await fast.LoadPassAsync(default), default));

        Assert.Equal([ReminderSendOutcome.Lost, ReminderSendOutcome.Sent], await slow.SendAsync(claimed, pass, default));
        Assert.Equal([_emma.Id, noah.Id], (await _host.MessagesAsync()).Select(m => m.ClientId!.Value).Order());
    }
}
