using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Features.Invites;

namespace PortalApp.Features.Clients;

public sealed class ClientService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ViewAudit views, ClinicClock clock)
{
    public const int MaxPageSize = 100;

    public async Task<ClientPage> SearchAsync(string? search, int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var read = ClientSearchQuery.Read(search);
        // A merged-away card lives on only as a pointer to the survivor: the list and search show the survivor alone.
        var query = ClientSearchQuery.Apply(db.Clients.AsNoTracking().Where(c => c.MergedIntoClientId == null), read);
        var total = await query.CountAsync(ct);
        var items = await query
            .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(c => new ClientSummary(c.Id, c.FirstName, c.LastName, c.PreferredName, c.DateOfBirth, c.Email, c.MobilePhone, c.EndDate))
            .ToListAsync(ct);
        var region = await PhoneRegionAsync(db, ct);
        return new ClientPage(items.Select(c => c with { MobilePhone = c.MobilePhone is null ? null : PhoneNumberRules.Display(c.MobilePhone, region) }).ToList(),
            total, read.WasCut);
    }

    public async Task<ClientDetailsView?> GetAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await DetailsAsync(db, clientId, ct);
    }

    /// <summary>The client card as a staff member opens it: the open is recorded in the audit log.</summary>
    public async Task<ClientDetailsView?> ViewAsync(int clientId, StaffActor viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await DetailsAsync(db, clientId, ct);
        if (view is not null)
            await views.RecordAsync(db, viewer, AuditActions.ClientView, clientId, null, ct);
        return view;
    }

    private static async Task<ClientDetailsView?> DetailsAsync(PortalDbContext db, int clientId, CancellationToken ct)
    {
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null)
            return null;
        var merged = await db.Clients.AsNoTracking().Where(c => c.MergedIntoClientId == clientId).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        return ToView(client, await PhoneRegionAsync(db, ct)) with { MergedCardIds = merged };
    }

    /// <summary>For the forms, so they check a phone number as the server will.</summary>
    public async Task<string> PhoneRegionAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await PhoneRegionAsync(db, ct);
    }

    /// <summary>The region typed phone numbers are read in (ClinicSettings.PhoneRegion).</summary>
    internal static Task<string> PhoneRegionAsync(PortalDbContext db, CancellationToken ct) =>
        db.ClinicSettings.AsNoTracking().Select(s => s.PhoneRegion).SingleAsync(ct);

    public async Task<ClientSaveResult> UpdateAsync(int clientId, ClientEditModel model, StaffActor actor, CancellationToken ct = default)
    {
        var today = await clock.TodayAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var region = await PhoneRegionAsync(db, ct);
        var errors = ClientRules.Validate(model, today, region);
        if (errors.Count > 0)
            return new ClientSaveResult.Invalid(errors);

        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null)
            return new ClientSaveResult.NotFound();
        if (client.MergedIntoClientId is not null)
            return new ClientSaveResult.Unsaved(ClientMessages.MergedAway);
        if (client.Version != model.Version)
            return Conflict(client);

        var changed = Apply(client, model, region);
        if (changed.Count == 0)
            return new ClientSaveResult.Saved(ToView(client, region));

        client.UpdatedAtUtc = clock.UtcNow;
        if (changed.Contains("end date"))
            await ClientEndDates.ApplyAsync(db, audit, client, actor, today, clock.UtcNow, ct);
        var cancelled = changed.Contains("email") ? await InviteService.CancelInvitesToOldAddressAsync(db, audit, client, actor, clock.UtcNow, ct) : 0;
        // Field names only: values are patient data and the audit log must stay free of it.
        audit.Add(db, actor, AuditActions.ClientEdit, client.Id, AuditOutcome.Succeeded, "Changed: " + string.Join(", ", changed));
        return await SaveAsync(db, client, region, cancelled > 0 ? ClientMessages.InvitesCancelledByEmailChange(cancelled) : null, ct);
    }

    /// <summary>The client card header's End date action: sets (or with null removes) the day the client stops being active.</summary>
    public async Task<ClientSaveResult> SetEndDateAsync(int clientId, DateOnly? endDate, int version, StaffActor actor, CancellationToken ct = default)
    {
        var today = await clock.TodayAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null)
            return new ClientSaveResult.NotFound();
        if (client.MergedIntoClientId is not null)
            return new ClientSaveResult.Unsaved(ClientMessages.MergedAway);
        if (client.Version != version)
            return Conflict(client);
        if (ClientRules.EndDate(endDate?.ToDateTime(TimeOnly.MinValue), client.DateOfBirth.ToDateTime(TimeOnly.MinValue)) is { } problem)
            return new ClientSaveResult.Invalid(new Dictionary<string, string> { [nameof(ClientEditModel.EndDate)] = problem });
        var region = await PhoneRegionAsync(db, ct);
        if (client.EndDate == endDate)
            return new ClientSaveResult.Saved(ToView(client, region));

        client.EndDate = endDate;
        client.UpdatedAtUtc = clock.UtcNow;
        await ClientEndDates.ApplyAsync(db, audit, client, actor, today, clock.UtcNow, ct);
        return await SaveAsync(db, client, region, null, ct);
    }

    private async Task<ClientSaveResult> SaveAsync(PortalDbContext db, Client client, string region, string? notice, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return new ClientSaveResult.Unsaved(DatabaseFailures.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            var current = await fresh.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == client.Id, ct);
            return current is null ? new ClientSaveResult.NotFound() : Conflict(current);
        }
        return new ClientSaveResult.Saved(ToView(client, region), notice);
    }

    private static ClientSaveResult.Conflict Conflict(Client current) => new(
        $"Someone else saved changes to this client at {current.UpdatedAtUtc:HH:mm} UTC while you were editing. " +
        "Your edits are still in the form: reload the card to see their version, then apply yours again.");

    private static List<string> Apply(Client client, ClientEditModel model, string region)
    {
        var changed = new List<string>();
        void Set<T>(string field, T current, T next, Action<T> assign)
        {
            if (!EqualityComparer<T>.Default.Equals(current, next))
            {
                assign(next);
                changed.Add(field);
            }
        }
        Set("first name", client.FirstName, model.FirstName.Trim(), v => client.FirstName = v);
        Set("last name", client.LastName, model.LastName.Trim(), v => client.LastName = v);
        Set("preferred name", client.PreferredName, Blank(model.PreferredName), v => client.PreferredName = v);
        Set("date of birth", client.DateOfBirth, DateOnly.FromDateTime(model.DateOfBirth!.Value), v => client.DateOfBirth = v);
        Set("email", client.Email, Blank(model.Email), v => client.Email = v);
        // Validated above, so the number parses: what is stored is its E.164 form, whatever way it was typed.
        Set("mobile phone", client.MobilePhone, PhoneNumberRules.Parse(model.MobilePhone, region).E164, v =>
        {
            client.MobilePhone = v;
            client.MobilePhoneDigits = v is null ? null : PhoneNumberRules.Digits(v);
        });
        Set("street address", client.StreetAddress, Blank(model.StreetAddress), v => client.StreetAddress = v);
        Set("city", client.City, Blank(model.City), v => client.City = v);
        Set("province", client.Province, Blank(model.Province), v => client.Province = v);
        Set("postal code", client.PostalCode, Blank(model.PostalCode)?.ToUpperInvariant(), v => client.PostalCode = v);
        Set("preferred language", client.PreferredLanguage, model.PreferredLanguage, v => client.PreferredLanguage = v);
        Set("end date", client.EndDate, model.EndDate is { } end ? DateOnly.FromDateTime(end) : (DateOnly?)null, v => client.EndDate = v);
        return changed;
    }

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static ClientDetailsView ToView(Client c, string region) => new(
        c.Id, c.FirstName, c.LastName, c.PreferredName, c.DateOfBirth, c.Email, c.MobilePhone, c.EndDate,
        c.CreatedAtUtc, c.UpdatedAtUtc, c.Version,
        c.MobilePhone is null ? null : PhoneNumberRules.Display(c.MobilePhone, region),
        new ClientAddress(c.StreetAddress, c.City, c.Province, c.PostalCode), c.PreferredLanguage, c.ExternalId, c.MergedIntoClientId);
}
