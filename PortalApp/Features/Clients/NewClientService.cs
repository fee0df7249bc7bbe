using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Clients;

public abstract record ClientCreateResult
{
    public sealed record Created(ClientDetailsView Client) : ClientCreateResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : ClientCreateResult;

    /// <summary>Not created: these cards may be the same person. Staff look, then confirm these ids to create anyway.</summary>
    public sealed record PossibleDuplicates(IReadOnlyList<DuplicateMatch> Matches) : ClientCreateResult;
    public sealed record Unsaved(string Message) : ClientCreateResult;
}

/// <summary>The Clients page's New client form: any staff member may create a card, once it is not a probable duplicate.</summary>
public sealed class NewClientService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ClinicClock clock)
{
    /// <summary>The cards the form warns about before anyone presses Create.</summary>
    public async Task<IReadOnlyList<DuplicateMatch>> FindDuplicatesAsync(ClientEditModel model, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(model.FirstName) || string.IsNullOrWhiteSpace(model.LastName) || model.DateOfBirth is null)
            return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await FindAsync(db, model, await ClientService.PhoneRegionAsync(db, ct), ct);
    }

    /// <param name="confirmedNotDuplicates">
    /// The cards staff looked at and said are someone else. The service checks again as it saves: a match not in this set
    /// (say, a card created meanwhile) refuses the create, so no caller can skip the check by saying "confirmed".
    /// </param>
    public async Task<ClientCreateResult> CreateAsync(
        ClientEditModel model, IReadOnlyCollection<int> confirmedNotDuplicates, StaffActor actor, CancellationToken ct = default)
    {
        var today = await clock.TodayAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var region = await ClientService.PhoneRegionAsync(db, ct);
        var errors = ClientRules.Validate(model, today, region);
        if (model.EndDate is not null)
            errors[nameof(model.EndDate)] = "A new card has no end date: set it from the card once it is created.";
        if (errors.Count > 0)
            return new ClientCreateResult.Invalid(errors);

        var matches = await FindAsync(db, model, region, ct);
        if (matches.Any(m => !confirmedNotDuplicates.Contains(m.Id)))
            return new ClientCreateResult.PossibleDuplicates(matches);

        var phone = PhoneNumberRules.Parse(model.MobilePhone, region).E164;
        var client = new Client
        {
            FirstName = model.FirstName.Trim(),
            LastName = model.LastName.Trim(),
            PreferredName = ClientService.Blank(model.PreferredName),
            DateOfBirth = DateOnly.FromDateTime(model.DateOfBirth!.Value),
            Email = ClientService.Blank(model.Email),
            MobilePhone = phone,
            MobilePhoneDigits = phone is null ? null : PhoneNumberRules.Digits(phone),
            StreetAddress = ClientService.Blank(model.StreetAddress),
            City = ClientService.Blank(model.City),
            Province = ClientService.Blank(model.Province),
            PostalCode = ClientService.Blank(model.PostalCode)?.ToUpperInvariant(),
            PreferredLanguage = model.PreferredLanguage,
            CreatedAtUtc = clock.UtcNow,
            UpdatedAtUtc = clock.UtcNow,
        };
        db.Clients.Add(client);
        try
        {
            // The card's id is known only once it is saved; the audit row commits with it or not at all.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            // Ids only: which cards staff judged to be someone else, never the details that matched.
            audit.Add(db, actor, AuditActions.ClientCreate, client.Id, AuditOutcome.Succeeded,
                matches.Count == 0 ? null : "Created despite possible duplicates: " + string.Join(", ", matches.Select(m => $"client {m.Id}")));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return new ClientCreateResult.Unsaved(DatabaseFailures.Message);
        }
        return new ClientCreateResult.Created(ClientService.ToView(client, region));
    }

    private static Task<IReadOnlyList<DuplicateMatch>> FindAsync(PortalDbContext db, ClientEditModel model, string region, CancellationToken ct) =>
        ClientDuplicates.FindAsync(db, model.FirstName, model.LastName, DateOnly.FromDateTime(model.DateOfBirth!.Value),
            ClientService.Blank(model.Email), PhoneNumberRules.Parse(model.MobilePhone, region).E164, ct);
}
