using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.Messaging;

namespace PortalApp.Features.Bulk;

/// <summary>One patient of an audience: included with the address the message goes to, or left out with the reason.</summary>
public sealed record BulkAudienceMember(int? ClientId, string Name, string? Address, string? Exclusion);

public sealed record BulkAudience(IReadOnlyList<BulkAudienceMember> Included, IReadOnlyList<BulkAudienceMember> Excluded, string? Problem = null)
{
    public int Count => Included.Count;
}

/// <summary>
/// Turns staff's filter into the list of patients a bulk send reaches, and every patient it leaves out with the reason.
/// A patient is listed once however many appointments match, and an address once however many cards carry it.
/// </summary>
public sealed class BulkAudienceService(IDbContextFactory<PortalDbContext> dbFactory, ClinicSettingsService clinic, TimeProvider time)
{
    /// <summary>The most patients one send may reach or list: a clinic's whole roll, and a bound on the page's memory.</summary>
    public const int MaxAudience = 20_000;

    public async Task<BulkAudience> BuildAsync(BulkAudienceFilter filter, BulkChannel channel, BulkPurpose purpose, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await clinic.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ClinicTime.ToWallClock(now, settings.TimeZone));
        var facts = await FactsAsync(db, Candidates(db, filter, settings.TimeZone, now), now, null, ct);
        if (facts.Count > MaxAudience)
            return new BulkAudience([], [], $"This audience has more than {MaxAudience:N0} patients. Narrow it down, for example to a shorter range of days.");
        var readers = channel == BulkChannel.Portal
            ? await PortalReaders.PatientsWithReadersAsync(db, facts.Select(f => f.Id).ToList(), today, ct)
            : [];

        var included = new List<BulkAudienceMember>();
        var excluded = new List<BulkAudienceMember>();
        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var client in facts)
        {
            var verdict = BulkEligibility.Judge(client, channel, purpose, readers.Contains(client.Id), today, now, settings.BulkRecentDays);
            if (!verdict.Included)
                excluded.Add(new BulkAudienceMember(client.Id, client.Name, null, verdict.Exclusion));
            else if (verdict.Address is { } address && holders.TryGetValue(address, out var holder))
                excluded.Add(new BulkAudienceMember(client.Id, client.Name, null, BulkExclusion.SameAddress(channel, holder)));
            else
            {
                if (verdict.Address is { } first)
                    holders[first] = client.Name;
                included.Add(new BulkAudienceMember(client.Id, client.Name, verdict.Address, null));
            }
        }
        if (filter.Kind == BulkAudienceKind.PortalAccounts)
            excluded.AddRange(await CaregiverOnlyAccountsAsync(db, ct));
        return new BulkAudience(included, excluded);
    }

    /// <summary>The client cards a filter picks, before any rule leaves one out (merged-away cards never count).</summary>
    internal static IQueryable<Client> Candidates(PortalDbContext db, BulkAudienceFilter filter, TimeZoneInfo zone, DateTime nowUtc)
    {
        var clients = db.Clients.AsNoTracking().Where(c => c.MergedIntoClientId == null);
        switch (filter.Kind)
        {
            case BulkAudienceKind.PortalAccounts:
                return clients.Where(c => db.Users.Any(u => u.ClientId == c.Id));
            case BulkAudienceKind.Appointments:
                var from = ClinicTime.DayBounds(filter.FromDay!.Value, zone).StartUtc;
                var to = ClinicTime.DayBounds(filter.ToDay!.Value, zone).EndUtc;
                var appointments = db.Appointments.Where(a => a.StartUtc >= from && a.StartUtc < to && a.Status != AppointmentStatus.Cancelled);
                if (filter.PractitionerId is { } practitioner)
                    appointments = appointments.Where(a => a.PractitionerId == practitioner);
                if (filter.AppointmentTypeId is { } type)
                    appointments = appointments.Where(a => a.AppointmentTypeId == type);
                return clients.Where(c => appointments.Any(a => a.ClientId == c.Id));
            case BulkAudienceKind.NotYetInvited:
                return clients.Where(c => !db.Users.Any(u => u.ClientId == c.Id)
                    && !db.PortalInvites.Any(i => i.ClientId == c.Id && i.CaregiverAccessId == null));
            case BulkAudienceKind.InviteExpired:
                return clients.Where(c => !db.Users.Any(u => u.ClientId == c.Id)
                    && db.PortalInvites.Any(i => i.ClientId == c.Id && i.CaregiverAccessId == null)
                    && !db.PortalInvites.Any(i => i.ClientId == c.Id && i.CaregiverAccessId == null
                        && (i.Status == InviteStatus.Registered || (i.Status == InviteStatus.Pending && i.ExpiresAtUtc > nowUtc))));
            default:
                var ids = (filter.ClientIds ?? []).Distinct().ToList();
                return clients.Where(c => ids.Contains(c.Id));
        }
    }

    /// <summary>
    /// Everything the rules need for these clients in one query, in the order they are reached (last name, first name).
    /// <paramref name="excludingSendId"/>: a send's own recipients do not count as "reached by another bulk send".
    /// </summary>
    internal static Task<List<BulkClientFacts>> FactsAsync(PortalDbContext db, IQueryable<Client> clients, DateTime nowUtc, long? excludingSendId, CancellationToken ct) =>
        clients
            .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id)
            .Take(MaxAudience + 1)
            .Select(c => new BulkClientFacts(
                c.Id, c.FirstName, c.LastName, c.EndDate, c.Email, c.MobilePhone,
                c.EmailOptOutAtUtc, c.SmsOptOutAtUtc, c.VoiceOptOutAtUtc,
                c.PromotionalConsentAtUtc, c.PromotionalOptOutAtUtc,
                db.Users.Any(u => u.ClientId == c.Id),
                db.PortalInvites.Any(i => i.ClientId == c.Id && i.CaregiverAccessId == null && i.Status == InviteStatus.Registered),
                db.PortalInvites.Any(i => i.ClientId == c.Id && i.CaregiverAccessId == null && i.Status == InviteStatus.Pending && i.ExpiresAtUtc > nowUtc),
                db.Appointments.Where(a => a.ClientId == c.Id && a.StartUtc <= nowUtc
                        && (a.Status == AppointmentStatus.Arrived || a.Status == AppointmentStatus.Completed))
                    .Max(a => (DateTime?)a.StartUtc),
                db.BulkRecipients.Where(r => r.ClientId == c.Id && r.Status == BulkRecipientStatus.Sent && r.BulkSendId != excludingSendId)
                    .Max(r => r.ProcessedAtUtc),
                c.PreferredName,
                c.PreferredLanguage))
            .ToListAsync(ct);

    private static async Task<List<BulkAudienceMember>> CaregiverOnlyAccountsAsync(PortalDbContext db, CancellationToken ct) =>
        (await db.Users.AsNoTracking()
            .Where(u => u.ClientId == null && db.CaregiverAccesses.Any(a => a.PortalUserId == u.Id))
            .OrderBy(u => u.DisplayName)
            .Select(u => u.DisplayName)
            .Take(MaxAudience)
            .ToListAsync(ct))
        .Select(name => new BulkAudienceMember(null, name, null, BulkExclusion.CaregiverOnly))
        .ToList();
}
