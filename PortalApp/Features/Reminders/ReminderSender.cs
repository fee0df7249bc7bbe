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
/// Sends due reminders. A batch is claimed (<see cref="WorkClaim"/>), each reminder checked again against its
/// appointment, the client's card and the settings as they are at that moment, and then, in one SaveChanges (one
/// transaction), each is marked Sent and handed to the outbox with its Confirm / Cancel link, or marked Skipped or
/// Withdrawn with the reason. Each reminder's Version, as it was when claimed, is a concurrency token of that write: an
/// instance whose claim lapsed and was taken over cannot send it a second time (the whole write is refused, and the
/// batch is tried again one reminder at a time, so the others still go), and a crash before the write leaves the batch
/// to be claimed again when the lease ends.
/// </summary>
public sealed class ReminderSender(
    IDbContextFactory<PortalDbContext> dbFactory, ClinicSettingsService clinic, ReminderContent content, OutboundMessages outbound,
    InstanceIdentity instance, TimeProvider time, IOptions<ReminderDispatchOptions> options, ILogger<ReminderSender> logger)
{
    /// <summary>The most reminders one pass handles; the next pass goes on.</summary>
    public const int MaxPerPass = 10_000;

    internal sealed record PassData(ReminderSettings Settings, ClinicView Clinic, IReadOnlyDictionary<(TemplateKind, ClientLanguage), MessageTemplate> Templates);

    /// <summary>What a reminder is checked against: its appointment and the client's card, read in one query for a batch.</summary>
    private sealed record Facts(
        int Id, int ClientId, DateTime StartUtc, AppointmentStatus Status, DateTime? ConfirmedAtUtc,
        string FirstName, string LastName, string? PreferredName, string? Email, string? MobilePhone, ClientLanguage Language,
        string? ReminderChannels, DateTime? EmailOptOutAtUtc, DateTime? SmsOptOutAtUtc, DateTime? VoiceOptOutAtUtc, DateOnly? EndDate);

    public async Task<ReminderSendPass> SendDueAsync(CancellationToken ct)
    {
        var pass = await LoadPassAsync(ct);
        int sent = 0, skipped = 0, withdrawn = 0, handled = 0;
        while (handled < MaxPerPass)
        {
            var claimed = await ClaimDueAsync(ct);
            if (claimed.Count == 0)
                break;
            foreach (var outcome in await SendAsync(claimed, pass, ct))
            {
                switch (outcome)
                {
                    case ReminderSendOutcome.Sent: sent++; break;
                    case ReminderSendOutcome.Skipped: skipped++; break;
                    case ReminderSendOutcome.Withdrawn: withdrawn++; break;
                }
            }
            handled += claimed.Count;
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
    internal async Task<ReminderSendOutcome> SendClaimedAsync(AppointmentReminder claimed, PassData pass, CancellationToken ct) =>
        (await SendAsync([claimed], pass, ct))[0];

    /// <summary>Claimed reminders as they were when claimed, all in one write; if another instance changed one of them, one at a time.</summary>
    internal async Task<IReadOnlyList<ReminderSendOutcome>> SendAsync(IReadOnlyList<AppointmentReminder> claimed, PassData pass, CancellationToken ct)
    {
        var asClaimed = claimed.Select(Copy).ToList();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.AppointmentReminders.AttachRange(claimed);
            var now = time.GetUtcNow().UtcDateTime;
            var (appointments, runs) = await FactsAsync(db, claimed, pass.Clinic.TimeZone, ct);
            var outcomes = new List<ReminderSendOutcome>();
            foreach (var row in claimed)
                outcomes.Add(await DecideAsync(db, row, appointments[row.AppointmentId], runs, pass, now));
            try
            {
                await db.SaveChangesAsync(ct);
                foreach (var row in claimed.Where(r => r.Status == ReminderStatus.Sent))
                    logger.LogInformation("Reminder {ReminderId} queued by {Channel}", row.Id, row.Channel);
                return outcomes;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Nothing of this write was kept.
            }
        }
        if (asClaimed.Count == 1)
        {
            logger.LogInformation("Reminder {ReminderId} was changed by another instance after this one claimed it; nothing sent", asClaimed[0].Id);
            return [ReminderSendOutcome.Lost];
        }
        var results = new List<ReminderSendOutcome>();
        foreach (var row in asClaimed)
            results.Add(await SendClaimedAsync(row, pass, ct));
        return results;
    }

    private static async Task<(Dictionary<int, Facts> Appointments, Dictionary<int, List<BackToBack.Member>> Runs)> FactsAsync(
        PortalDbContext db, IReadOnlyList<AppointmentReminder> claimed, TimeZoneInfo zone, CancellationToken ct)
    {
        var ids = claimed.Select(r => r.AppointmentId).Distinct().ToList();
        var appointments = await db.Appointments.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new Facts(
            x.Id, x.ClientId, x.StartUtc, x.Status, x.ConfirmedAtUtc,
            x.Client.FirstName, x.Client.LastName, x.Client.PreferredName, x.Client.Email, x.Client.MobilePhone, x.Client.PreferredLanguage,
            x.Client.ReminderChannels, x.Client.EmailOptOutAtUtc, x.Client.SmsOptOutAtUtc, x.Client.VoiceOptOutAtUtc, x.Client.EndDate)).ToDictionaryAsync(x => x.Id, ct);
        // The clinic days of these appointments, for every client among them: the back-to-back runs they are in.
        var days = appointments.Values.Select(a => ClinicTime.DayBounds(DateOnly.FromDateTime(ClinicTime.ToWallClock(a.StartUtc, zone)), zone)).ToList();
        var (from, to) = (days.Min(d => d.StartUtc), days.Max(d => d.EndUtc));
        var clients = appointments.Values.Select(a => a.ClientId).Distinct().ToList();
        var members = await db.Appointments.AsNoTracking()
            .Where(x => clients.Contains(x.ClientId) && x.StartUtc >= from && x.StartUtc < to)
            .Where(BackToBack.Kept)
            .Select(x => new BackToBack.Member(x.Id, x.ClientId, x.StartUtc, x.EndUtc, x.IsVideo, x.Location, x.Practitioner.DisplayName, x.AppointmentType.Name))
            .ToListAsync(ct);
        var runs = BackToBack.Runs(members, m => m.ClientId, m => m.StartUtc, m => m.EndUtc, m => m.Id, zone).SelectMany(run => run.Select(m => (m.Id, run)))
            .ToDictionary(x => x.Id, x => x.run);
        return (appointments, runs);
    }

    /// <summary>What becomes of one reminder: recorded on it, and, when it goes, its message and link added to <paramref name="db"/>.</summary>
    private async Task<ReminderSendOutcome> DecideAsync(PortalDbContext db, AppointmentReminder row, Facts a, Dictionary<int, List<BackToBack.Member>> runs,
        PassData pass, DateTime now)
    {
        var zone = pass.Clinic.TimeZone;
        if (a.Status != AppointmentStatus.Booked)
            return Finish(row, ReminderStatus.Withdrawn, ReminderSkipReasons.NotBooked(a.Status), now);
        if (a.StartUtc != row.AppointmentStartUtc)
            return Finish(row, ReminderStatus.Withdrawn, ReminderSkipReasons.Moved, now);
        var run = runs[a.Id];
        if (run[0].Id != a.Id)
            return Finish(row, ReminderStatus.Withdrawn, ReminderSkipReasons.CoveredBy(run[0].StartUtc, zone), now);

        var channel = row.Channel;
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
            return Finish(row, ReminderStatus.Skipped, skip, now);

        var facts = new ReminderFacts(a.StartUtc, run.Select(m => m.Practitioner).ToList(), run[0].IsVideo, run[0].Location, run.Select(m => m.Type).ToList());
        var patient = TemplateEmails.ModelFor(a.FirstName, a.PreferredName, a.LastName, pass.Clinic);
        var composed = await content.ComposeAsync(pass.Templates, channel, a.Language, patient, facts, pass.Settings, pass.Clinic);
        if (composed is ReminderContentResult.Text { Body.Length: > OutboundMessage.MaxBodyLength })
            composed = new ReminderContentResult.Failed($"the message is longer than {OutboundMessage.MaxBodyLength:N0} characters.");
        if (composed is ReminderContentResult.Failed failed)
        {
            logger.LogWarning("Reminder {ReminderId} not sent: its template cannot be used", row.Id);
            return Finish(row, ReminderStatus.Skipped, ReminderSkipReasons.TemplateProblem(failed.Problem), now);
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
        db.Entry(row).Property(r => r.OutboundMessageId).CurrentValue = db.Entry(message).Property(m => m.Id).CurrentValue;
        return Finish(row, ReminderStatus.Sent, null, now);
    }

    private static ReminderSendOutcome Finish(AppointmentReminder row, ReminderStatus status, string? reason, DateTime now)
    {
        row.Status = status;
        row.SkipReason = reason is null ? null : ReminderSkipReasons.Fit(reason);
        row.DoneAtUtc = now;
        WorkClaim.Release(row);
        return status switch
        {
            ReminderStatus.Sent => ReminderSendOutcome.Sent,
            ReminderStatus.Withdrawn => ReminderSendOutcome.Withdrawn,
            _ => ReminderSendOutcome.Skipped,
        };
    }

    private static AppointmentReminder Copy(AppointmentReminder r) => new()
    {
        Id = r.Id, AppointmentId = r.AppointmentId, ClientId = r.ClientId, Channel = r.Channel, Slot = r.Slot, AppointmentStartUtc = r.AppointmentStartUtc,
        DueAtUtc = r.DueAtUtc, SendAtUtc = r.SendAtUtc, Status = r.Status, SkipReason = r.SkipReason, OutboundMessageId = r.OutboundMessageId,
        CreatedAtUtc = r.CreatedAtUtc, DoneAtUtc = r.DoneAtUtc, ClaimedBy = r.ClaimedBy, LeaseExpiresAtUtc = r.LeaseExpiresAtUtc, Version = r.Version,
    };
}
