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
        var query = ClientSearchQuery.Apply(db.Clients.AsNoTracking(), read);
        var total = await query.CountAsync(ct);
        var items = await query
            .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ThenBy(c => c.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(c => new ClientSummary(c.Id, c.FirstName, c.LastName, c.PreferredName, c.DateOfBirth, c.Email, c.MobilePhone, c.EndDate))
            .ToListAsync(ct);
        return new ClientPage(items, total, read.WasCut);
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

    private static Task<ClientDetailsView?> DetailsAsync(PortalDbContext db, int clientId, CancellationToken ct) =>
        db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => ToView(c)).SingleOrDefaultAsync(ct);

    public async Task<ClientSaveResult> UpdateAsync(int clientId, ClientEditModel model, StaffActor actor, CancellationToken ct = default)
    {
        var today = await clock.TodayAsync(ct);
        var errors = ClientRules.Validate(model, today);
        if (errors.Count > 0)
            return new ClientSaveResult.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null)
            return new ClientSaveResult.NotFound();
        if (client.Version != model.Version)
            return Conflict(client);

        var changed = Apply(client, model);
        if (changed.Count == 0)
            return new ClientSaveResult.Saved(ToView(client));

        client.UpdatedAtUtc = clock.UtcNow;
        if (changed.Contains("end date") && client.IsEndedOn(today))
            await InviteService.CancelOpenInvitesAsync(db, audit, client.Id, actor, clock.UtcNow, ct);
        var cancelled = changed.Contains("email") ? await InviteService.CancelInvitesToOldAddressAsync(db, audit, client, actor, clock.UtcNow, ct) : 0;
        // Field names only: values are patient data and the audit log must stay free of it.
        audit.Add(db, actor, AuditActions.ClientEdit, client.Id, AuditOutcome.Succeeded, "Changed: " + string.Join(", ", changed));
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
            var current = await fresh.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, ct);
            return current is null ? new ClientSaveResult.NotFound() : Conflict(current);
        }
        return new ClientSaveResult.Saved(ToView(client), cancelled > 0 ? ClientMessages.InvitesCancelledByEmailChange(cancelled) : null);
    }

    private static ClientSaveResult.Conflict Conflict(Client current) => new(
        $"Someone else saved changes to this client at {current.UpdatedAtUtc:HH:mm} UTC while you were editing. " +
        "Your edits are still in the form: reload the card to see their version, then apply yours again.");

    private static List<string> Apply(Client client, ClientEditModel model)
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
        Set("mobile phone", client.MobilePhone, Blank(model.MobilePhone), v =>
        {
            client.MobilePhone = v;
            client.MobilePhoneDigits = v is null ? null : ClientRules.Digits(v);
        });
        Set("end date", client.EndDate, model.EndDate is { } end ? DateOnly.FromDateTime(end) : (DateOnly?)null, v => client.EndDate = v);
        return changed;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ClientDetailsView ToView(Client c) => new(
        c.Id, c.FirstName, c.LastName, c.PreferredName, c.DateOfBirth, c.Email, c.MobilePhone, c.EndDate,
        c.CreatedAtUtc, c.UpdatedAtUtc, c.Version);
}
