using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Import;

/// <summary>A client row as the card would hold it: the values an import compares and writes.</summary>
internal sealed record ClientValues(
    string? ExternalId, string FirstName, string LastName, string? PreferredName, DateOnly DateOfBirth, string? Email, string? MobilePhone,
    string? StreetAddress, string? City, string? Province, string? PostalCode, ClientLanguage Language, DateOnly? EndDate)
{
    public static ClientValues Of(Client c) => new(c.ExternalId, c.FirstName, c.LastName, c.PreferredName, c.DateOfBirth, c.Email, c.MobilePhone,
        c.StreetAddress, c.City, c.Province, c.PostalCode, c.PreferredLanguage, c.EndDate);

    public void ApplyTo(Client c)
    {
        (c.ExternalId, c.FirstName, c.LastName, c.PreferredName, c.DateOfBirth, c.Email) = (ExternalId, FirstName, LastName, PreferredName, DateOfBirth, Email);
        (c.MobilePhone, c.MobilePhoneDigits) = (MobilePhone, MobilePhone is null ? null : PhoneNumberRules.Digits(MobilePhone));
        (c.StreetAddress, c.City, c.Province, c.PostalCode, c.PreferredLanguage, c.EndDate) = (StreetAddress, City, Province, PostalCode, Language, EndDate);
    }
}

/// <summary>
/// Clients: the New client form's rules (ClientRules, PhoneNumberRules in the clinic's region) row by row. A row with a
/// Client ID updates the card with that id (or, the first time, the one card with its name and date of birth and no id);
/// a row without one updates the one card with its name and date of birth; otherwise it creates a card.
/// </summary>
internal sealed class ClientImport : ImportPlan
{
    private readonly List<Client> _creates = [];
    private readonly List<(int Id, ClientValues Values)> _updates = [];
    private HashSet<string> _mergedIds = [];

    public override int Created => _creates.Count;
    public override int Updated => _updates.Count;

    public static async Task<ClientImport> PlanAsync(PortalDbContext db, ImportRequest request, ImportContext context, Action<int> checkedRows, CancellationToken ct)
    {
        var all = await db.Clients.AsNoTracking().ToListAsync(ct);
        var existing = all.Where(c => c.MergedIntoClientId == null).ToList();
        // A merged-away card keeps its id (the unique index holds it): a row with that id must name the survivor instead.
        var mergedIds = all.Where(c => c.MergedIntoClientId != null && c.ExternalId != null).Select(c => c.ExternalId!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var byExternalId = existing.Where(c => c.ExternalId != null).ToDictionary(c => c.ExternalId!, StringComparer.OrdinalIgnoreCase);
        var byPerson = existing.ToLookup(c => PersonKey(c.FirstName, c.LastName, c.DateOfBirth));
        var plan = new ClientImport { Total = request.Table.Rows.Count, NowUtc = context.NowUtc, _mergedIds = mergedIds };
        var idLines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var personLines = new Dictionary<string, int>();
        var matched = new HashSet<int>();
        foreach (var row in request.Table.Rows)
        {
            ct.ThrowIfCancellationRequested();
            plan.Check(row, new ImportRow(row, request.Mapping), request.DateFormat, context, byExternalId, byPerson, idLines, personLines, matched);
            checkedRows(1);
        }
        return plan;
    }

    private void Check(CsvRow row, ImportRow values, DateFormat format, ImportContext context, Dictionary<string, Client> byExternalId,
        ILookup<string, Client> byPerson, Dictionary<string, int> idLines, Dictionary<string, int> personLines, HashSet<int> matched)
    {
        var (client, problem) = ClientRowReader.Read(values, format, context);
        if (client is null)
        {
            Refuse(row, problem!);
            return;
        }
        if (client.ExternalId is { } id && !idLines.TryAdd(id, row.Line))
        {
            Refuse(row, $"Client ID {id} is also on line {idLines[id]}: each client can be in the file once.");
            return;
        }
        if (client.ExternalId is { } mergedId && _mergedIds.Contains(mergedId))
        {
            Refuse(row, $"Client ID {mergedId} belongs to a card that was merged into another: use the Client ID of the card it was merged into.");
            return;
        }
        var person = PersonKey(client.FirstName, client.LastName, client.DateOfBirth);
        if (client.ExternalId is null && !personLines.TryAdd(person, row.Line))
        {
            Refuse(row, $"The same name and date of birth are on line {personLines[person]}: give each a Client ID, or remove the duplicate.");
            return;
        }

        Client? match = null;
        if (client.ExternalId is { } externalId && byExternalId.TryGetValue(externalId, out var byId))
            match = byId;
        else
        {
            var candidates = byPerson[person].Where(c => client.ExternalId is null || c.ExternalId is null).ToList();
            if (candidates.Count > 1)
            {
                Refuse(row, $"{candidates.Count} clients already have this name and date of birth: add a Client ID to say which one this row is.");
                return;
            }
            match = candidates.SingleOrDefault();
        }
        if (match is null)
        {
            var card = new Client { CreatedAtUtc = context.NowUtc, UpdatedAtUtc = context.NowUtc };
            client.ApplyTo(card);
            _creates.Add(card);
            return;
        }
        if (!matched.Add(match.Id))
        {
            Refuse(row, "Another row of this file already updates the same client.");
            return;
        }
        // A row without an id keeps the card's id; one with an id gives it to a card found by name.
        var next = client with { ExternalId = client.ExternalId ?? match.ExternalId };
        if (next == ClientValues.Of(match))
            Unchanged++;
        else
            _updates.Add((match.Id, next));
    }

    internal static string PersonKey(string first, string last, DateOnly dob) =>
        $"{ImportFields.Key(first)}|{ImportFields.Key(last)}|{dob:yyyy-MM-dd}";

    public override async Task WriteAsync(PortalDbContext db, Action<int> saved, CancellationToken ct)
    {
        await SaveInBatchesAsync(db, _creates, batch => { db.Clients.AddRange(batch); return Task.CompletedTask; }, saved, ct);
        await SaveInBatchesAsync(db, _updates, async batch =>
        {
            var ids = batch.Select(u => u.Id).ToList();
            var cards = await db.Clients.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
            foreach (var (id, values) in batch)
            {
                values.ApplyTo(cards[id]);
                cards[id].UpdatedAtUtc = NowUtc;
                cards[id].Version++;
            }
        }, saved, ct);
    }
}
