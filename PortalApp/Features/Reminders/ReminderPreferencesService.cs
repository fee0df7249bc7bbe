using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clients;

namespace PortalApp.Features.Reminders;

/// <summary>A client's reminder channels and opt-outs (<see cref="Client.ReminderChannels"/>, the OptOutAtUtc columns), as the card shows and saves them.</summary>
public sealed class ReminderPreferencesService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public const string ConflictMessage =
        "Someone else saved changes to this client while you were choosing. Your choices are still in the form: reload the card to see theirs, then save yours again.";

    /// <summary>A STOP reply and the opt-out it set are looked up within this much of each other.</summary>
    private static readonly TimeSpan SameMoment = TimeSpan.FromMinutes(1);

    public async Task<ReminderPreferencesView?> GetAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, ct);
        return client is null ? null : await ViewAsync(db, client, ct);
    }

    public async Task<ReminderPreferencesSaveResult> SaveAsync(int clientId, ReminderPreferencesForm form, StaffActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null)
            return new ReminderPreferencesSaveResult.NotFound();
        if (client.MergedIntoClientId is not null)
            return new ReminderPreferencesSaveResult.Unsaved(ClientMessages.MergedAway);
        if (client.Version != form.Version)
            return new ReminderPreferencesSaveResult.Conflict(ConflictMessage);

        var now = time.GetUtcNow().UtcDateTime;
        var changed = new List<string>();
        var channels = ReminderChannelText.FormatClientChoice(form.ChosenChannels());
        if (channels != client.ReminderChannels)
        {
            client.ReminderChannels = channels;
            changed.Add($"remind by: {(channels is null ? "the clinic's channels" : ReminderChannelText.List(form.ChosenChannels()))}");
        }
        foreach (var channel in ReminderChannelText.All)
        {
            var current = OptOutAt(client, channel);
            // Turning an opt-out on again keeps when it first happened (a STOP reply's time is worth keeping).
            var next = form.IsOptedOut(channel) ? current ?? now : (DateTime?)null;
            if (next == current)
                continue;
            SetOptOut(client, channel, next);
            changed.Add(next is null ? $"opted back in to {ReminderChannelText.Plural(channel)}" : $"opted out of {ReminderChannelText.Plural(channel)}");
        }
        if (changed.Count == 0)
            return new ReminderPreferencesSaveResult.Saved(await ViewAsync(db, client, ct));

        client.UpdatedAtUtc = now;
        audit.Add(db, actor, AuditActions.ClientReminderPreferences, client.Id, AuditOutcome.Succeeded, string.Join("; ", changed));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ReminderPreferencesSaveResult.Conflict(ConflictMessage);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return new ReminderPreferencesSaveResult.Unsaved(DatabaseFailures.Message);
        }
        return new ReminderPreferencesSaveResult.Saved(await ViewAsync(db, client, ct));
    }

    public static DateTime? OptOutAt(Client client, MessageChannel channel) => channel switch
    {
        MessageChannel.Email => client.EmailOptOutAtUtc,
        MessageChannel.Sms => client.SmsOptOutAtUtc,
        _ => client.VoiceOptOutAtUtc,
    };

    private static void SetOptOut(Client client, MessageChannel channel, DateTime? at)
    {
        switch (channel)
        {
            case MessageChannel.Email: client.EmailOptOutAtUtc = at; break;
            case MessageChannel.Sms: client.SmsOptOutAtUtc = at; break;
            default: client.VoiceOptOutAtUtc = at; break;
        }
    }

    private static async Task<ReminderPreferencesView> ViewAsync(PortalDbContext db, Client client, CancellationToken ct)
    {
        var settings = await db.ReminderSettings.AsNoTracking().SingleAsync(s => s.Id == ReminderSettings.SingletonId, ct);
        var on = ReminderChannelText.On(settings);
        var optOuts = new Dictionary<MessageChannel, OptOutView>();
        foreach (var channel in ReminderChannelText.All)
        {
            if (OptOutAt(client, channel) is { } at)
                optOuts[channel] = new OptOutView(at, await HowAsync(db, client, channel, at, ct));
        }
        return new ReminderPreferencesView(client.Id, ReminderChannelText.ParseClientChoice(client.ReminderChannels), on, optOuts, client.Version);
    }

    /// <summary>How an opt-out came about, when the record shows it: the client's own reply, or a staff member on this card.</summary>
    private static async Task<string?> HowAsync(PortalDbContext db, Client client, MessageChannel channel, DateTime at, CancellationToken ct)
    {
        if (channel == MessageChannel.Sms)
        {
            var reply = await db.InboundMessages.AsNoTracking()
                .Where(m => m.Channel == MessageChannel.Sms && m.Outcome == InboundOutcome.OptedOut && (m.ClientId == client.Id || m.FromNumber == client.MobilePhone)
                    && m.ReceivedAtUtc >= at - SameMoment && m.ReceivedAtUtc <= at + SameMoment)
                .OrderByDescending(m => m.ReceivedAtUtc).Select(m => m.Body).FirstOrDefaultAsync(ct);
            if (reply is not null)
                return $"by replying “{Short(reply)}” to a text";
        }
        var staff = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == AuditActions.ClientReminderPreferences && e.ClientId == client.Id && e.AtUtc >= at - SameMoment && e.AtUtc <= at + SameMoment)
            .OrderByDescending(e => e.AtUtc).Select(e => e.StaffDisplayName).FirstOrDefaultAsync(ct);
        return staff is null ? null : $"set on this card by {staff}";
    }

    private static string Short(string reply)
    {
        var trimmed = reply.Trim();
        return trimmed.Length <= 20 ? trimmed : trimmed[..20] + "…";
    }
}
