using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.Reminders;

namespace PortalApp.Features.Channels;

/// <summary>What the app answers a text or a key: <paramref name="Say"/> in <paramref name="Language"/>, or nothing.</summary>
public sealed record InboundReply(InboundOutcome Outcome, string? Say, ClientLanguage Language);

/// <summary>What a reminder call says before it asks for a key.</summary>
public sealed record ReminderCall(string Body, ClientLanguage Language);

/// <summary>
/// Texts patients send to the clinic's number and keys pressed on reminder calls. Each is recorded first, as one
/// <see cref="InboundMessage"/> (the provider's id is unique, so a retried webhook finds the first and gets the same
/// answer), and only then acted on; whatever is not understood waits on the staff's Replies to review, never lost.
/// </summary>
public sealed class InboundReplies(
    IDbContextFactory<PortalDbContext> dbFactory, AppointmentResponses responses, AuditLog audit, ClinicSettingsService clinic, ClinicClock clock,
    IOptions<MessagingOptions> options, OutboundMessageEvents events)
{
    /// <summary>A reminder that went out (or may have): a reply can answer it.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<OutboundMessage, bool>> Reached = m =>
        m.Status == OutboundMessageStatus.Sent || m.Status == OutboundMessageStatus.Delivered
        || m.Status == OutboundMessageStatus.Replied || m.Status == OutboundMessageStatus.Uncertain;

    private sealed record Reminder(long Id, int AppointmentId, int ClientId, ClientLanguage Language, DateTime? StartUtc);

    public async Task<InboundOutcome> HandleSmsAsync(string from, string to, string body, string providerId, CancellationToken ct = default) =>
        (await ReceiveSmsAsync(from, to, body, providerId, ct)).Outcome;

    /// <summary>A text to the clinic's number: C/YES/OUI confirm, STOP/ARRÊT opt the number out, START opts it back in.</summary>
    public async Task<InboundReply> ReceiveSmsAsync(string from, string to, string body, string providerId, CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var region = await db.ClinicSettings.AsNoTracking().Select(s => s.PhoneRegion).FirstAsync(ct);
        var number = PhoneNumberRules.Parse(from, region).E164 ?? Bound(from, InboundMessage.MaxNumberLength);
        var cards = await db.Clients.AsNoTracking().Where(c => c.MobilePhone == number).Select(c => c.Id).ToListAsync(ct);
        var reminder = await LatestReminderAsync(db, number, now, ct);
        var row = new InboundMessage
        {
            Channel = MessageChannel.Sms, FromNumber = number, ToNumber = Bound(to, InboundMessage.MaxNumberLength),
            Body = Bound(body, InboundMessage.MaxBodyLength), ProviderMessageId = providerId, ReceivedAtUtc = now,
            ClientId = reminder?.ClientId ?? (cards.Count == 1 ? cards[0] : null), AppointmentId = reminder?.AppointmentId,
            OutboundMessageId = reminder?.Id, Outcome = InboundOutcome.NeedsReview,
        };
        if (await RecordAsync(db, row, ct) is { } earlier)
            return await ReplayAsync(earlier, ct);

        var (outcome, say) = ReplyKeywords.Read(body) switch
        {
            ReplyKeyword.Confirm when reminder is not null => await ConfirmAsync(reminder, ct),
            ReplyKeyword.Stop => (await OptAsync(db, number, optOut: true, now, ct), null),
            ReplyKeyword.Start => (await OptAsync(db, number, optOut: false, now, ct), null),
            _ => (InboundOutcome.NeedsReview, null),
        };
        await SettleAsync(db, row, outcome, ct);
        return new InboundReply(outcome, say, reminder?.Language ?? ClientLanguage.English);
    }

    /// <summary>The words of reminder call <paramref name="outboundMessageId"/>; null when there is no such call.</summary>
    public async Task<ReminderCall?> ReminderCallAsync(long outboundMessageId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.OutboundMessages.AsNoTracking().Where(m => m.Id == outboundMessageId && m.Channel == MessageChannel.Voice)
            .Select(m => new ReminderCall(m.Body, m.Language)).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// A key pressed on reminder call <paramref name="outboundMessageId"/>: 1 confirms, 2 cancels (within the clinic's
    /// rules). Null when there is no such call. Other keys are not recorded: the call asks again.
    /// </summary>
    public async Task<InboundReply?> HandleKeyAsync(long outboundMessageId, string digits, string providerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var call = await db.OutboundMessages.AsNoTracking().Where(m => m.Id == outboundMessageId && m.Channel == MessageChannel.Voice)
            .Select(m => new { m.Id, m.Recipient, m.ClientId, m.AppointmentId, m.Language }).SingleOrDefaultAsync(ct);
        if (call is null)
            return null;
        if (digits is not ("1" or "2"))
            return new InboundReply(InboundOutcome.NeedsReview, null, call.Language);
        var row = new InboundMessage
        {
            Channel = MessageChannel.Voice, FromNumber = Bound(call.Recipient, InboundMessage.MaxNumberLength),
            ToNumber = Bound(options.Value.Twilio.FromNumber, InboundMessage.MaxNumberLength), Body = digits,
            ProviderMessageId = $"{providerId}:{digits}", ReceivedAtUtc = clock.UtcNow, ClientId = call.ClientId, AppointmentId = call.AppointmentId,
            OutboundMessageId = call.Id, Outcome = InboundOutcome.NeedsReview,
        };
        if (await RecordAsync(db, row, ct) is { } earlier)
            return await ReplayAsync(earlier, ct);

        var settings = await clinic.GetAsync(ct);
        InboundReply reply;
        if (call is not { AppointmentId: { } appointmentId, ClientId: { } clientId })
            reply = new InboundReply(InboundOutcome.NeedsReview, ResponseWords.NoAnswer(settings, call.Language), call.Language);
        else
        {
            var request = new AppointmentResponses.Request(appointmentId, clientId, ResponseVia.VoiceCall, Cancel: digits == "2",
                ExpectedStartUtc: await ReminderStartAsync(db, call.Id, ct));
            reply = await responses.RespondAsync(request, ct) switch
            {
                PatientResponseResult.Done done => new InboundReply(request.Cancel ? InboundOutcome.Cancelled : InboundOutcome.Confirmed,
                    (request.Cancel ? ResponseWords.Cancelled(done.StartUtc, settings, call.Language) : ResponseWords.Confirmed(done.StartUtc, settings, call.Language))
                        + " " + ResponseWords.Goodbye(call.Language), call.Language),
                // A refused cancel (too late, online cancelling off) is something the front desk should hear about.
                PatientResponseResult.Refused refused => new InboundReply(InboundOutcome.NeedsReview,
                    ResponseWords.Refusal(refused.Reason, settings, await CutoffHoursAsync(db, ct), call.Language) + " " + ResponseWords.Goodbye(call.Language), call.Language),
                _ => throw new InvalidOperationException("Unknown result."),
            };
        }
        await SettleAsync(db, row, reply.Outcome, ct);
        return reply;
    }

    /// <summary>The latest reminder text to this number whose appointment is still booked and ahead.</summary>
    private static async Task<Reminder?> LatestReminderAsync(PortalDbContext db, string number, DateTime now, CancellationToken ct)
    {
        var found = await db.OutboundMessages.AsNoTracking()
            .Where(Reached)
            .Where(m => m.Channel == MessageChannel.Sms && m.Recipient == number && m.AppointmentId != null && m.ClientId != null)
            .Join(db.Appointments, m => m.AppointmentId, a => a.Id, (m, a) => new { m, a })
            .Where(x => x.a.Status == AppointmentStatus.Booked && x.a.StartUtc > now)
            .OrderByDescending(x => x.m.CreatedAtUtc).ThenByDescending(x => x.m.Id)
            .Select(x => new { x.m.Id, AppointmentId = x.a.Id, ClientId = x.m.ClientId!.Value, x.m.Language })
            .FirstOrDefaultAsync(ct);
        return found is null ? null : new Reminder(found.Id, found.AppointmentId, found.ClientId, found.Language, await ReminderStartAsync(db, found.Id, ct));
    }

    /// <summary>The start time the reminder gave, when the reminder planner recorded it.</summary>
    private static Task<DateTime?> ReminderStartAsync(PortalDbContext db, long outboundMessageId, CancellationToken ct) =>
        db.AppointmentReminders.AsNoTracking().Where(r => r.OutboundMessageId == outboundMessageId)
            .Select(r => (DateTime?)r.AppointmentStartUtc).FirstOrDefaultAsync(ct);

    private static async Task<int> CutoffHoursAsync(PortalDbContext db, CancellationToken ct) => (await AppointmentResponses.SettingsAsync(db, ct)).CancelCutoffHours;

    private async Task<(InboundOutcome, string?)> ConfirmAsync(Reminder reminder, CancellationToken ct)
    {
        var request = new AppointmentResponses.Request(reminder.AppointmentId, reminder.ClientId, ResponseVia.TextReply, Cancel: false,
            ExpectedStartUtc: reminder.StartUtc);
        return await responses.RespondAsync(request, ct) is PatientResponseResult.Done done
            ? (InboundOutcome.Confirmed, ResponseWords.Confirmed(done.StartUtc, await clinic.GetAsync(ct), reminder.Language))
            : (InboundOutcome.NeedsReview, null);
    }

    /// <summary>STOP and START are about the number: every card with it follows, each change audited on its card.</summary>
    private async Task<InboundOutcome> OptAsync(PortalDbContext db, string number, bool optOut, DateTime now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changing = await db.Clients.Where(c => c.MobilePhone == number && (optOut ? c.SmsOptOutAtUtc == null : c.SmsOptOutAtUtc != null))
            .Select(c => c.Id).ToListAsync(ct);
        await db.Clients.Where(c => changing.Contains(c.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.SmsOptOutAtUtc, optOut ? now : null).SetProperty(c => c.Version, c => c.Version + 1), ct);
        foreach (var id in changing)
            audit.Add(db, null, optOut ? AuditActions.ClientTextOptOut : AuditActions.ClientTextOptIn, id, AuditOutcome.Succeeded, "By a text reply");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return optOut ? InboundOutcome.OptedOut : InboundOutcome.OptedIn;
    }

    /// <summary>Adds the row; null when it is new, else the row a first delivery of the same webhook recorded.</summary>
    private static async Task<InboundMessage?> RecordAsync(PortalDbContext db, InboundMessage row, CancellationToken ct)
    {
        var earlier = await db.InboundMessages.AsNoTracking().SingleOrDefaultAsync(m => m.ProviderMessageId == row.ProviderMessageId, ct);
        if (earlier is not null)
            return earlier;
        db.InboundMessages.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
        {
            // The same webhook, delivered twice at once: the other delivery recorded it and acts on it.
            db.ChangeTracker.Clear();
            return await db.InboundMessages.AsNoTracking().SingleAsync(m => m.ProviderMessageId == row.ProviderMessageId, ct);
        }
    }

    /// <summary>
    /// The outcome on the row, and the reminder it answers marked Replied (a later delivery report cannot undo that); an
    /// open Messages log hears of it, as of the reminder's other changes.
    /// </summary>
    private async Task SettleAsync(PortalDbContext db, InboundMessage row, InboundOutcome outcome, CancellationToken ct)
    {
        await db.InboundMessages.Where(m => m.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Outcome, outcome), ct);
        if (row.OutboundMessageId is not { } answered)
            return;
        var replied = await db.OutboundMessages.Where(Reached).Where(m => m.Id == answered && m.Status != OutboundMessageStatus.Replied)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboundMessageStatus.Replied).SetProperty(m => m.Version, m => m.Version + 1), ct);
        if (replied > 0)
            events.Publish(new OutboundMessageChanged(answered, row.ClientId, row.Channel, OutboundMessageStatus.Replied));
    }

    /// <summary>A retried webhook gets the answer the first delivery got.</summary>
    private async Task<InboundReply> ReplayAsync(InboundMessage earlier, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var answered = await db.Appointments.AsNoTracking().Where(a => a.Id == earlier.AppointmentId).Select(a => (DateTime?)a.StartUtc).FirstOrDefaultAsync(ct);
        var language = await db.OutboundMessages.AsNoTracking().Where(m => m.Id == earlier.OutboundMessageId).Select(m => (ClientLanguage?)m.Language).FirstOrDefaultAsync(ct)
            ?? ClientLanguage.English;
        var settings = await clinic.GetAsync(ct);
        var voice = earlier.Channel == MessageChannel.Voice;
        var say = (earlier.Outcome, answered) switch
        {
            (InboundOutcome.Confirmed, { } start) => ResponseWords.Confirmed(start, settings, language) + (voice ? " " + ResponseWords.Goodbye(language) : ""),
            (InboundOutcome.Cancelled, { } start) => ResponseWords.Cancelled(start, settings, language) + " " + ResponseWords.Goodbye(language),
            _ when voice => ResponseWords.NoAnswer(settings, language),
            _ => null,
        };
        return new InboundReply(earlier.Outcome, say, language);
    }

    private static string Bound(string? value, int max)
    {
        var text = value?.Trim() ?? "";
        return text.Length > max ? text[..max] : text;
    }
}
