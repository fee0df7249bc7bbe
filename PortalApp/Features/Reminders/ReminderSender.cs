using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Channels;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;
using PortalApp.Infrastructure;

namespace PortalApp.Features.Reminders;

/// <summary>What one sending pass did.</summary>
public sealed record ReminderSendPass(int Sent, int Skipped, int Withdrawn);

internal enum ReminderSendOutcome
{
    Sent,
    Skipped,
    Withdrawn,

    /// <summary>Another instance changed the reminder after this one claimed it (its lease had run out): that one's work stands.</summary>
    Lost,
}

/// <summary>
/// Sends due reminders. Each is claimed (<see cref="WorkClaim"/>), checked again against the appointment, the client's
/// card and the settings as they are at that moment, and then, in one SaveChanges (one transaction), marked Sent and
/// handed to the outbox with its Confirm / Cancel link, or marked Skipped with the reason. The reminder's Version, as
/// it was when claimed, is the concurrency token of that write: an instance whose claim lapsed and was taken over
/// cannot send it a second time, and a crash before the write leaves it to be claimed again when the lease ends.
/// </summary>
public sealed class ReminderSender(
    IDbContextFactory<PortalDbContext> dbFactory, ClinicSettingsService clinic, ReminderContent content, OutboundMessages outbound,
    InstanceIdentity instance, TimeProvider time, IOptions<ReminderDispatchOptions> options, ILogger<ReminderSender> logger)
{
    /// <summary>The most reminders one pass handles; the next pass goes on.</summary>
    public const int MaxPerPass = 10_000;

    internal sealed record PassData(ReminderSettings Settings, ClinicView Clinic, IReadOnlyDictionary<(TemplateKind, ClientLanguage), MessageTemplate> Templates);

    public async Task<ReminderSendPass> SendDueAsync(CancellationToken ct)
    {
        var pass = await LoadPassAsync(ct);
        int sent = 0, skipped = 0, withdrawn = 0, handled = 0;
        while (handled < MaxPerPass)
        {
            var claimed = await ClaimDueAsync(ct);
            foreach (var (row, index) in claimed.Select((r, i) => (r, i)))
            {
                if (time.GetUtcNow().UtcDateTime >= row.LeaseExpiresAtUtc)
                {
                    await ReleaseAsync(claimed.Skip(index)); // this batch took longer than its lease: the rest go back
                    break;
                }
                switch (await SendClaimedAsync(row, pass, ct))
                {
                    case ReminderSendOutcome.Sent: sent++; break;
                    case ReminderSendOutcome.Skipped: skipped++; break;
                    case ReminderSendOutcome.Withdrawn: withdrawn++; break;
                }
                handled++;
            }
            if (claimed.Count < options.Value.BatchSize)
                break;
        }
        if (sent > 0)
            outbound.Wake();
        return new ReminderSendPass(sent, skipped, withdrawn);
    }

    internal async Task<PassData> LoadPassAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.ReminderSettings.AsNoTracking().SingleAsync(s => s.Id == ReminderSettings.SingletonId, ct);
        return new PassData(settings, await clinic.GetAsync(ct), await ReminderContent.DefaultsAsync(db, ct));
    }

    /// <summary>Due reminders nobody holds, now held by this instance until the lease ends.</summary>
    internal async Task<List<AppointmentReminder>> ClaimDueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        return await WorkClaim.ClaimAsync(db,
            db.AppointmentReminders.Where(r => r.Status == ReminderStatus.Scheduled && r.SendAtUtc <= now).OrderBy(r => r.SendAtUtc).ThenBy(r => r.Id),
            options.Value.BatchSize, instance.Name, now, TimeSpan.FromSeconds(options.Value.LeaseSeconds), ct);
    }

    /// <summary>One claimed reminder, as it was when claimed: its Version then is what the write checks.</summary>
    internal async Task<ReminderSendOutcome> SendClaimedAsync(AppointmentReminder claimed, PassData pass, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AppointmentReminders.Attach(claimed);
        var now = time.GetUtcNow().UtcDateTime;
        var zone = pass.Clinic.TimeZone;
        var a = await db.Appointments.AsNoTracking().Where(x => x.Id == claimed.AppointmentId).Select(x => new
        {
            x.Id, x.ClientId, x.StartUtc, x.Status, x.ConfirmedAtUtc,
            x.Client.FirstName, x.Client.LastName, x.Client.PreferredName, x.Client.Email, x.Client.MobilePhone, x.Client.PreferredLanguage,
            x.Client.ReminderChannels, x.Client.EmailOptOutAtUtc, x.Client.SmsOptOutAtUtc, x.Client.VoiceOptOutAtUtc, x.Client.EndDate,
        }).SingleAsync(ct);

        if (a.Status != AppointmentStatus.Booked)
            return await FinishAsync(db, claimed, ReminderStatus.Withdrawn, ReminderSkipReasons.NotBooked(a.Status), now, ct);
        if (a.StartUtc != claimed.AppointmentStartUtc)
            return await FinishAsync(db, claimed, ReminderStatus.Withdrawn, ReminderSkipReasons.Moved, now, ct);
        var run = await BackToBack.RunOfAsync(db, a.ClientId, a.Id, a.StartUtc, zone, ct);
        if (run[0].Id != a.Id)
            return await FinishAsync(db, claimed, ReminderStatus.Withdrawn, ReminderSkipReasons.CoveredBy(run[0].StartUtc, zone), now, ct);

        var channel = claimed.Channel;
        var today = DateOnly.FromDateTime(ClinicTime.ToWallClock(now, zone));
        var chosen = ReminderChannelText.ParseClientChoice(a.ReminderChannels);
        var optedOut = channel switch { MessageChannel.Email => a.EmailOptOutAtUtc, MessageChannel.Sms => a.SmsOptOutAtUtc, _ => a.VoiceOptOutAtUtc };
        var address = channel == MessageChannel.Email ? a.Email : a.MobilePhone;
        string? skip = true switch
        {
            _ when now >= a.StartUtc => ReminderSkipReasons.TooLate,
            _ when a.EndDate is { } end && end <= today => ReminderSkipReasons.EndDated,
            _ when !ReminderChannelText.IsOn(pass.Settings, channel) => ReminderSkipReasons.ChannelOff(channel),
            _ when chosen.Count > 0 && !chosen.Contains(channel) => ReminderSkipReasons.ClientChoseOthers,
            _ when optedOut is not null => ReminderSkipReasons.OptedOut(channel),
            _ when string.IsNullOrWhiteSpace(address) => channel == MessageChannel.Email ? ReminderSkipReasons.NoEmail : ReminderSkipReasons.NoMobile,
            _ when channel == MessageChannel.Email && EmailAddressRules.Problem(address) is not null => ReminderSkipReasons.BadEmail,
            _ when channel != MessageChannel.Email && address?.StartsWith('+') != true => ReminderSkipReasons.BadMobile,
            _ when pass.Settings.SkipConfirmed && a.ConfirmedAtUtc is not null => ReminderSkipReasons.AlreadyConfirmed,
            _ => null,
        };
        if (skip is not null)
            return await FinishAsync(db, claimed, ReminderStatus.Skipped, skip, now, ct);

        var facts = new ReminderFacts(a.StartUtc, run.Select(m => m.Practitioner).ToList(), run[0].IsVideo, run[0].Location, run.Select(m => m.Type).ToList());
        var patient = TemplateEmails.ModelFor(a.FirstName, a.PreferredName, a.LastName, pass.Clinic);
        var composed = await content.ComposeAsync(pass.Templates, channel, a.PreferredLanguage, patient, facts, pass.Settings, pass.Clinic);
        if (composed is ReminderContentResult.Text { Body.Length: > OutboundMessage.MaxBodyLength })
            composed = new ReminderContentResult.Failed($"the message is longer than {OutboundMessage.MaxBodyLength:N0} characters.");
        if (composed is ReminderContentResult.Failed failed)
        {
            logger.LogWarning("Reminder {ReminderId} not sent: its template cannot be used", claimed.Id);
            return await FinishAsync(db, claimed, ReminderStatus.Skipped, ReminderSkipReasons.TemplateProblem(failed.Problem), now, ct);
        }

        // The link is for the run's first appointment and expires when it starts; a call takes keys instead of a link.
        var token = channel == MessageChannel.Voice ? null : ReminderLinks.Issue(db, new Appointment { Id = a.Id, ClientId = a.ClientId, StartUtc = a.StartUtc }, now);
        var name = $"{a.FirstName} {a.LastName}";
        var message = composed switch
        {
            ReminderContentResult.Email email => outbound.EnqueueEmail(db,
                new OutgoingEmail(address!, name, email.Content.Subject, email.Content.Html, email.Content.Text, ReminderDispatcher.Kind, a.ClientId, token),
                email.Language, a.Id),
            ReminderContentResult.Text text => outbound.EnqueueText(db,
                new OutgoingText(channel, address!, text.Body, ReminderDispatcher.Kind, text.Language, a.ClientId, a.Id, name, token)),
            _ => throw new InvalidOperationException(),
        };
        // The message's key is a temporary value until the insert; EF puts the real one in the reminder with it.
        db.Entry(claimed).Property(r => r.OutboundMessageId).CurrentValue = db.Entry(message).Property(m => m.Id).CurrentValue;
        return await FinishAsync(db, claimed, ReminderStatus.Sent, null, now, ct);
    }

    private async Task<ReminderSendOutcome> FinishAsync(PortalDbContext db, AppointmentReminder row, ReminderStatus status, string? reason, DateTime now,
        CancellationToken ct)
    {
        row.Status = status;
        row.SkipReason = reason is null ? null : ReminderSkipReasons.Fit(reason);
        row.DoneAtUtc = now;
        WorkClaim.Release(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Reminder {ReminderId} was changed by another instance after this one claimed it; nothing sent", row.Id);
            return ReminderSendOutcome.Lost;
        }
        if (status == ReminderStatus.Sent)
            logger.LogInformation("Reminder {ReminderId} queued by {Channel}", row.Id, row.Channel);
        return status switch
        {
            ReminderStatus.Sent => ReminderSendOutcome.Sent,
            ReminderStatus.Withdrawn => ReminderSendOutcome.Withdrawn,
            _ => ReminderSendOutcome.Skipped,
        };
    }

    private async Task ReleaseAsync(IEnumerable<AppointmentReminder> rows)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            foreach (var row in rows)
            {
                db.AppointmentReminders.Attach(row);
                WorkClaim.Release(row);
            }
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance took some over already; the rest free themselves when the lease ends.
        }
    }
}
