using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Channels;
using PortalApp.Features.Reminders;
using PortalApp.Tests.Features.Reminders;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.Reminders.ReminderTestData;

namespace PortalApp.Tests.Features.Channels;

/// <summary>Texts and keys patients send back. The host's "now" is Wed 4 Mar 2026 10:00 in Toronto.</summary>
[Trait("Providers", "Both")]
public sealed class InboundRepliesTests : IAsyncLifetime
{
    private const string ClinicNumber = "+14165550199";
    private ServiceTestHost _host = null!;
    private Client _jane = null!;
    private string _mobile = "";

    private InboundReplies Replies => _host.Scoped<InboundReplies>();
    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _mobile = ReminderTestData.NewMobile();
        _jane = await ReminderTestData.AddClientAsync(_host.DbAsync, "Jane", "Doe", _mobile);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static string Sid() => "SM" + Guid.NewGuid().ToString("N");

    private async Task<(Appointment Appointment, OutboundMessage Text)> RemindedAsync(DateTime start, DateTime sentAt, ClientLanguage language = ClientLanguage.English)
    {
        var appointment = await ReminderTestData.BookAsync(_host.DbAsync, _jane.Id, start);
        return (appointment, await ReminderTestData.AddSentAsync(_host.DbAsync, appointment, MessageChannel.Sms, _mobile, sentAt, language));
    }

    private async Task<T> ReadAsync<T>(Func<PortalDbContext, Task<T>> read)
    {
        await using var db = await _host.DbAsync();
        return await read(db);
    }

    [Theory]
    [InlineData("C")]
    [InlineData("oui !")]
    [InlineData(" Yes. ")]
    public async Task A_confirming_reply_confirms_the_latest_reminded_appointment_and_answers_in_the_reminders_language(string body)
    {
        var (earlier, _) = await RemindedAsync(Friday9, Now.AddHours(-30));
        var (later, text) = await RemindedAsync(Friday9.AddDays(1), Now.AddHours(-1), ClientLanguage.French);

        var reply = await Replies.ReceiveSmsAsync("+1 (416) " + _mobile[5..8] + "-" + _mobile[8..], ClinicNumber, body, Sid());

        Assert.Equal(InboundOutcome.Confirmed, reply.Outcome);
        Assert.Equal("Merci : votre rendez-vous du samedi 7 mars à 9 h 00 est confirmé.", reply.Say);
        var (confirmedVia, earlierConfirmed, textStatus, row) = await ReadAsync(async db => (
            (await db.Appointments.SingleAsync(a => a.Id == later.Id)).ConfirmedVia,
            (await db.Appointments.SingleAsync(a => a.Id == earlier.Id)).ConfirmedAtUtc,
            (await db.OutboundMessages.SingleAsync(m => m.Id == text.Id)).Status,
            await db.InboundMessages.SingleAsync()));
        Assert.Equal(("text reply", null, OutboundMessageStatus.Replied), (confirmedVia, earlierConfirmed, textStatus));
        Assert.Equal((MessageChannel.Sms, _mobile, body.Trim(), _jane.Id, later.Id, text.Id, InboundOutcome.Confirmed),
            (row.Channel, row.FromNumber, row.Body, row.ClientId, row.AppointmentId, row.OutboundMessageId, row.Outcome));
    }

    [Fact]
    public async Task A_confirming_reply_skips_reminders_of_cancelled_or_past_appointments_and_waits_for_staff_when_none_is_left()
    {
        var (cancelled, _) = await RemindedAsync(Friday9, Now.AddHours(-2));
        await RemindedAsync(Now.AddHours(-1), Now.AddDays(-1)); // started an hour ago
        Assert.IsType<PatientResponseResult.Done>(await _host.Scoped<AppointmentResponses>().CancelAsync(cancelled.Id, _jane.Id, ResponseVia.ReminderLink));

        var reply = await Replies.ReceiveSmsAsync(_mobile, ClinicNumber, "YES", Sid());

        Assert.Equal((InboundOutcome.NeedsReview, null), (reply.Outcome, reply.Say));
        Assert.Equal(_jane.Id, (await ReadAsync(db => db.InboundMessages.SingleAsync())).ClientId);
    }

    [Theory]
    [InlineData("CANCEL")]
    [InlineData("Can I come at 10 instead?")]
    public async Task Anything_else_is_kept_for_staff_to_review_and_answered_with_nothing(string body)
    {
        var (appointment, text) = await RemindedAsync(Friday9, Now.AddHours(-1));

        var reply = await Replies.ReceiveSmsAsync(_mobile, ClinicNumber, body, Sid());

        Assert.Equal((InboundOutcome.NeedsReview, null), (reply.Outcome, reply.Say));
        var stored = await ReadAsync(db => db.Appointments.AsNoTracking().SingleAsync(a => a.Id == appointment.Id));
        Assert.Equal((AppointmentStatus.Booked, null), (stored.Status, stored.ConfirmedAtUtc));
        Assert.Equal(OutboundMessageStatus.Replied, (await ReadAsync(db => db.OutboundMessages.SingleAsync(m => m.Id == text.Id))).Status);
        Assert.Equal(body, (await ReadAsync(db => db.InboundMessages.SingleAsync())).Body);
    }

    [Fact]
    public async Task A_reply_tells_open_pages_once_that_the_reminder_it_answers_is_replied()
    {
        var (_, text) = await RemindedAsync(Friday9, Now.AddHours(-1));
        var changes = new List<OutboundMessageChanged>();
        var events = _host.Get<OutboundMessageEvents>();
        events.Changed += changes.Add;
        try
        {
            await Replies.ReceiveSmsAsync(_mobile, ClinicNumber, "Can I come at 10 instead?", Sid());
            await Replies.ReceiveSmsAsync(_mobile, ClinicNumber, "STOP", Sid()); // answers the same text: already replied
        }
        finally
        {
            events.Changed -= changes.Add;
        }

        Assert.Equal([new OutboundMessageChanged(text.Id, _jane.Id, MessageChannel.Sms, OutboundMessageStatus.Replied)], changes);
    }

    [Fact]
    public async Task Stop_opts_out_every_card_with_the_number_and_start_opts_them_back_in_each_audited()
    {
        var son = await ReminderTestData.AddClientAsync(_host.DbAsync, "Sam", "Doe", _mobile);
        var neighbour = await ReminderTestData.AddClientAsync(_host.DbAsync, "Nina", "Bell", ReminderTestData.NewMobile());

        Assert.Equal(InboundOutcome.OptedOut, await Replies.HandleSmsAsync(_mobile, ClinicNumber, "Arrêt", Sid()));
        var optedOut = await ReadAsync(db => db.Clients.AsNoTracking().Where(c => c.SmsOptOutAtUtc == Now).Select(c => c.Id).OrderBy(id => id).ToListAsync());
        Assert.Equal([_jane.Id, son.Id], optedOut);
        Assert.Equal(InboundOutcome.OptedOut, await Replies.HandleSmsAsync(_mobile, ClinicNumber, "STOP", Sid())); // again: nothing more to change

        _host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(InboundOutcome.OptedIn, await Replies.HandleSmsAsync(_mobile, ClinicNumber, "start", Sid()));

        Assert.False(await ReadAsync(db => db.Clients.AnyAsync(c => c.SmsOptOutAtUtc != null)));
        var audits = await ReadAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.Action == AuditActions.ClientTextOptOut || e.Action == AuditActions.ClientTextOptIn)
            .Select(e => new { e.Action, e.ClientId, e.StaffUserId }).ToListAsync());
        Assert.Equal(new[] { (AuditActions.ClientTextOptOut, _jane.Id), (AuditActions.ClientTextOptOut, son.Id), (AuditActions.ClientTextOptIn, _jane.Id), (AuditActions.ClientTextOptIn, son.Id) }.Order(),
            audits.Select(a => (a.Action, a.ClientId!.Value)).Order());
        Assert.All(audits, a => Assert.Null(a.StaffUserId));
        Assert.Null((await ReadAsync(db => db.Clients.AsNoTracking().SingleAsync(c => c.Id == neighbour.Id))).SmsOptOutAtUtc);
        Assert.Equal(3, await ReadAsync(db => db.InboundMessages.CountAsync()));
    }

    [Fact]
    public async Task A_retried_webhook_is_recorded_once_acted_on_once_and_answered_the_same()
    {
        var (appointment, _) = await RemindedAsync(Friday9, Now.AddHours(-1));
        var sid = Sid();

        var first = await Replies.ReceiveSmsAsync(_mobile, ClinicNumber, "C", sid);
        var again = await Replies.ReceiveSmsAsync(_mobile, ClinicNumber, "C", sid);

        Assert.Equal(first, again);
        Assert.Equal(1, await ReadAsync(db => db.InboundMessages.CountAsync()));
        Assert.Equal(1, await ReadAsync(db => db.AppointmentChanges.CountAsync(c => c.AppointmentId == appointment.Id)));
    }

    [Fact]
    public async Task Key_1_confirms_and_key_2_cancels_the_calls_appointment_in_the_calls_language()
    {
        var first = await ReminderTestData.BookAsync(_host.DbAsync, _jane.Id, Friday9);
        var second = await ReminderTestData.BookAsync(_host.DbAsync, _jane.Id, Friday9.AddDays(1));
        var call1 = await ReminderTestData.AddSentAsync(_host.DbAsync, first, MessageChannel.Voice, _mobile, Now.AddHours(-1), ClientLanguage.French);
        var call2 = await ReminderTestData.AddSentAsync(_host.DbAsync, second, MessageChannel.Voice, _mobile, Now.AddHours(-1));

        var confirmed = await Replies.HandleKeyAsync(call1.Id, "1", "CA1");
        var cancelled = await Replies.HandleKeyAsync(call2.Id, "2", "CA2");

        Assert.Equal(new InboundReply(InboundOutcome.Confirmed, "Merci : votre rendez-vous du vendredi 6 mars à 9 h 00 est confirmé. Au revoir.", ClientLanguage.French), confirmed);
        Assert.Equal(InboundOutcome.Cancelled, cancelled!.Outcome);
        Assert.StartsWith("Your appointment on Saturday 7 March at 9:00 AM is cancelled.", cancelled.Say);
        var rows = await ReadAsync(db => db.InboundMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync());
        Assert.Equal([("CA1:1", "1", MessageChannel.Voice, call1.Id), ("CA2:2", "2", MessageChannel.Voice, call2.Id)],
            rows.Select(r => (r.ProviderMessageId, r.Body, r.Channel, r.OutboundMessageId!.Value)));
        Assert.Equal("voice call", (await ReadAsync(db => db.Appointments.SingleAsync(a => a.Id == first.Id))).ConfirmedVia);
        Assert.Equal(AppointmentStatus.Cancelled, (await ReadAsync(db => db.Appointments.SingleAsync(a => a.Id == second.Id))).Status);
    }

    [Fact]
    public async Task A_refused_cancel_by_key_tells_the_caller_whom_to_call_and_waits_for_staff()
    {
        await _host.SetClinicPhoneAsync("(416) 555-0100");
        var tomorrow = await ReminderTestData.BookAsync(_host.DbAsync, _jane.Id, Now.AddHours(20));
        var call = await ReminderTestData.AddSentAsync(_host.DbAsync, tomorrow, MessageChannel.Voice, _mobile, Now);

        var reply = await Replies.HandleKeyAsync(call.Id, "2", "CA3");

        Assert.Equal(InboundOutcome.NeedsReview, reply!.Outcome);
        Assert.Equal("Appointments can't be cancelled online less than 24 hours before they start. To cancel, please call Test Clinic at (416) 555-0100. Goodbye.", reply.Say);
        Assert.Equal(AppointmentStatus.Booked, (await ReadAsync(db => db.Appointments.SingleAsync(a => a.Id == tomorrow.Id))).Status);
        Assert.Equal(InboundOutcome.NeedsReview, (await ReadAsync(db => db.InboundMessages.SingleAsync())).Outcome);
    }

    [Fact]
    public async Task Another_key_is_not_recorded_and_a_text_message_is_not_a_call()
    {
        var (_, text) = await RemindedAsync(Friday9, Now.AddHours(-1));
        var call = await ReminderTestData.AddSentAsync(_host.DbAsync, (await RemindedAsync(Friday9.AddDays(2), Now)).Appointment, MessageChannel.Voice, _mobile, Now);

        var wrong = await Replies.HandleKeyAsync(call.Id, "7", "CA4");

        Assert.Equal((null, ClientLanguage.English), (wrong!.Say, wrong.Language));
        Assert.Null(await Replies.HandleKeyAsync(text.Id, "1", "CA5"));
        Assert.Null(await Replies.ReminderCallAsync(text.Id));
        Assert.False(await ReadAsync(db => db.InboundMessages.AnyAsync()));
    }
}
