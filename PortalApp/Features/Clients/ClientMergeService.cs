using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Clients;

/// <summary>
/// Two cards for one person become one (admins only). Everything that belongs to the person moves to the surviving card
/// in one transaction; the other card stays as an end-dated pointer, so its id, links and audit rows keep resolving.
/// </summary>
public sealed class ClientMergeService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ClinicClock clock)
{
    public async Task<MergePreview?> PreviewAsync(int survivorId, int otherId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cards = await db.Clients.AsNoTracking().Where(c => c.Id == survivorId || c.Id == otherId).ToListAsync(ct);
        var survivor = cards.SingleOrDefault(c => c.Id == survivorId);
        var other = cards.SingleOrDefault(c => c.Id == otherId);
        if (survivor is null || other is null)
            return null;
        var region = await ClientService.PhoneRegionAsync(db, ct);
        return new MergePreview(
            await SideAsync(db, survivor, region, ct), await SideAsync(db, other, region, ct),
            await ProblemAsync(db, survivor, other, ct));
    }

    public async Task<ClientMergeResult> MergeAsync(ClientMergeChoices choices, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return new ClientMergeResult.Refused(ClientMergeMessages.NotAdmin);
        if (choices.SurvivorId == choices.OtherId)
            return new ClientMergeResult.Refused(ClientMergeMessages.SameCard);

        var today = await clock.TodayAsync(ct);
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await WriteLock.BeginAsync<Client>(db, [choices.SurvivorId, choices.OtherId], ct);
        var survivor = await db.Clients.SingleOrDefaultAsync(c => c.Id == choices.SurvivorId, ct);
        var other = await db.Clients.SingleOrDefaultAsync(c => c.Id == choices.OtherId, ct);
        if (survivor is null || other is null)
            return new ClientMergeResult.NotFound();
        if (await ProblemAsync(db, survivor, other, ct) is { } problem)
            return new ClientMergeResult.Refused(problem);
        if (survivor.Version != choices.SurvivorVersion || other.Version != choices.OtherVersion)
            return new ClientMergeResult.Conflict(ClientMergeMessages.Changed);

        var kept = KeepChosenValues(survivor, other, choices);
        // A moving external id leaves the other card in a first save: the unique index must never see it on both at once.
        // Otherwise the other card keeps its own, so a re-import of that row finds the pointer to the survivor.
        var takeExternalId = choices.ExternalId == MergeKeep.OtherCard;
        var externalId = other.ExternalId;
        if (takeExternalId)
            (other.ExternalId, survivor.ExternalId) = (null, null);
        other.MergedIntoClientId = survivor.Id;
        if (other.EndDate is null || other.EndDate > today)
            other.EndDate = today;
        other.UpdatedAtUtc = now;
        survivor.UpdatedAtUtc = now;
        try
        {
            await db.SaveChangesAsync(ct);
            if (takeExternalId)
                survivor.ExternalId = externalId;

            var moved = await MergeMoves.MoveAsync(db, audit, survivor, other, actor, now, ct);
            // Ids, field names and counts only: never the values that were kept.
            audit.Add(db, actor, AuditActions.ClientMerge, survivor.Id, AuditOutcome.Succeeded,
                $"Client {other.Id} merged into this card. Kept from client {other.Id}: {(kept.Count == 0 ? "nothing" : string.Join(", ", kept))}. Moved: {moved}");
            audit.Add(db, actor, AuditActions.ClientMerge, other.Id, AuditOutcome.Succeeded,
                $"Merged into client {survivor.Id}. Moved: {moved}");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new ClientMergeResult.Merged(survivor.Id, moved.ToString());
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ClientMergeResult.Conflict(ClientMergeMessages.Changed);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return new ClientMergeResult.Refused(DatabaseFailures.Message);
        }
    }

    /// <summary>The one list of reasons two cards cannot be merged; the screen shows it before anyone presses Merge.</summary>
    private static async Task<string?> ProblemAsync(PortalDbContext db, Client survivor, Client other, CancellationToken ct)
    {
        if (survivor.Id == other.Id)
            return ClientMergeMessages.SameCard;
        if (survivor.MergedIntoClientId is { } a)
            return ClientMergeMessages.AlreadyMerged(survivor.Id, a);
        if (other.MergedIntoClientId is { } b)
            return ClientMergeMessages.AlreadyMerged(other.Id, b);
        if (await db.Users.CountAsync(u => u.ClientId == survivor.Id || u.ClientId == other.Id, ct) > 1)
            return ClientMergeMessages.BothHavePortalAccounts;
        // An ended grant between the two is history; an open one would become access to one's own card.
        if (await db.CaregiverAccesses.AnyAsync(g => g.Status != CaregiverAccessStatus.Ended
                && ((g.PatientClientId == survivor.Id && g.CaregiverClientId == other.Id)
                    || (g.PatientClientId == other.Id && g.CaregiverClientId == survivor.Id)), ct))
            return ClientMergeMessages.CaregiverOfThemselves;
        return null;
    }

    private static List<string> KeepChosenValues(Client survivor, Client other, ClientMergeChoices choices)
    {
        var kept = new List<string>();
        void Keep(MergeKeep choice, string field, Action take)
        {
            if (choice != MergeKeep.OtherCard)
                return;
            take();
            kept.Add(field);
        }
        Keep(choices.Names, "names", () => (survivor.FirstName, survivor.LastName, survivor.PreferredName) = (other.FirstName, other.LastName, other.PreferredName));
        Keep(choices.DateOfBirth, "date of birth", () => survivor.DateOfBirth = other.DateOfBirth);
        Keep(choices.Email, "email", () => survivor.Email = other.Email);
        Keep(choices.MobilePhone, "mobile phone", () => (survivor.MobilePhone, survivor.MobilePhoneDigits) = (other.MobilePhone, other.MobilePhoneDigits));
        Keep(choices.Address, "address", () => (survivor.StreetAddress, survivor.City, survivor.Province, survivor.PostalCode) =
            (other.StreetAddress, other.City, other.Province, other.PostalCode));
        Keep(choices.PreferredLanguage, "preferred language", () => survivor.PreferredLanguage = other.PreferredLanguage);
        if (choices.ExternalId == MergeKeep.OtherCard)
            kept.Add("external id"); // assigned after the other card has let go of it
        return kept;
    }

    private static async Task<MergeCardView> SideAsync(PortalDbContext db, Client c, string region, CancellationToken ct) => new(
        ClientService.ToView(c, region),
        await db.Users.AnyAsync(u => u.ClientId == c.Id, ct),
        await db.Appointments.CountAsync(a => a.ClientId == c.Id, ct),
        await db.PortalInvites.CountAsync(i => i.ClientId == c.Id, ct),
        await db.Conversations.CountAsync(x => x.ClientId == c.Id, ct),
        await db.CaregiverAccesses.CountAsync(g => g.PatientClientId == c.Id || g.CaregiverClientId == c.Id, ct));
}
