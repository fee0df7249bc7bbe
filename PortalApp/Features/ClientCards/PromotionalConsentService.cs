using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Components.Shared;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Features.Bulk.Unsubscribe;
using PortalApp.Features.Clients;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.ClientCards;

/// <summary>
/// Promotional consent on the client card (CASL): front desk and admins record express consent and how it was given,
/// clear it, or record an unsubscribe the patient asked for in person or on the phone. Practitioners read it.
/// </summary>
public sealed class PromotionalConsentService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, TimeProvider time, ClinicSettingsService clinic)
{
    /// <summary><see cref="Client.PromotionalConsentSource"/> and <see cref="Client.PromotionalOptOutVia"/> hold 200.</summary>
    public const int MaxHowLength = 200;

    public const string NotAllowed = "Only front desk staff and admins can record promotional consent or an unsubscribe.";

    public const string ConflictMessage =
        "This client's card changed since you opened it (the patient may have unsubscribed, or someone else saved). Reload the card to see the change, then try again.";

    public static bool MayRecord(StaffActor actor) => actor.IsAdmin || actor.Roles.Contains(StaffRoles.FrontDesk);

    public async Task<PromotionalStatusView?> GetAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ViewAsync(db, clientId, ct);
    }

    /// <param name="how">How consent was given ("Signed the consent form at the desk"). An unsubscribe on record ends: the patient agreed again.</param>
    public Task<PromotionalSaveResult> RecordConsentAsync(int clientId, string? how, int version, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(clientId, version, actor, AuditActions.PromotionalConsent, ct, how, "Say how consent was given, for example “Signed the consent form at the desk”.", (client, text, now, zone) =>
        {
            var ended = client.PromotionalOptOutAtUtc;
            client.PromotionalConsentAtUtc = now;
            client.PromotionalConsentSource = text;
            client.PromotionalOptOutAtUtc = null;
            client.PromotionalOptOutVia = null;
            return ended is { } at
                ? Done($"Express consent recorded; the unsubscribe of {Dates.FormatClinicDate(at, zone)} ends",
                    "Consent recorded. The earlier unsubscribe no longer applies: promotional messages can reach this client.")
                : Done("Express consent recorded", "Consent recorded.");
        });

    public Task<PromotionalSaveResult> ClearConsentAsync(int clientId, int version, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(clientId, version, actor, AuditActions.PromotionalConsent, ct, how: null, missing: null, (client, _, _, _) =>
        {
            if (client.PromotionalConsentAtUtc is null)
                return Refuse("No consent is recorded for this client, so there is nothing to clear.");
            client.PromotionalConsentAtUtc = null;
            client.PromotionalConsentSource = null;
            return Done("Recorded consent cleared", "Recorded consent cleared.");
        });

    /// <param name="how">How the patient asked ("Asked on the phone").</param>
    public Task<PromotionalSaveResult> RecordUnsubscribeAsync(int clientId, string? how, int version, StaffActor actor, CancellationToken ct = default) =>
        ChangeAsync(clientId, version, actor, AuditActions.PromotionalUnsubscribe, ct, how, "Say how the patient asked, for example “Asked on the phone”.", (client, text, now, zone) =>
            PromotionalOptOut.Record(client, now, text!)
                ? Done("Recorded by staff", "Unsubscribe recorded: no promotional messages go to this client.")
                : Refuse($"This client already unsubscribed on {Dates.FormatClinicDate(client.PromotionalOptOutAtUtc!.Value, zone)}."));

    private sealed record Change(string? Refusal, string Detail = "", string Message = "");

    private static Change Done(string detail, string message) => new(null, detail, message);

    private static Change Refuse(string reason) => new(reason);

    /// <param name="missing">The message for an empty <paramref name="how"/>; null: this change takes no text.</param>
    private async Task<PromotionalSaveResult> ChangeAsync(int clientId, int version, StaffActor actor, string action, CancellationToken ct,
        string? how, string? missing, Func<Client, string?, DateTime, TimeZoneInfo, Change> apply)
    {
        if (!MayRecord(actor))
            return new PromotionalSaveResult.Refused(NotAllowed);
        var text = missing is null ? null : Tidy(how);
        if (missing is not null && Problem(text!, missing) is { } problem)
            return new PromotionalSaveResult.Invalid(problem);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null)
            return new PromotionalSaveResult.NotFound();
        if (client.MergedIntoClientId is not null)
            return new PromotionalSaveResult.Refused(ClientMessages.MergedAway);
        if (client.Version != version)
            return new PromotionalSaveResult.Conflict(ConflictMessage);
        var now = time.GetUtcNow().UtcDateTime;
        var change = apply(client, text, now, (await clinic.GetAsync(ct)).TimeZone);
        if (change.Refusal is { } refusal)
            return new PromotionalSaveResult.Refused(refusal);
        client.UpdatedAtUtc = now;
        // What was done, never the words typed: they are the patient's business, and the card keeps them.
        audit.Add(db, actor, action, client.Id, AuditOutcome.Succeeded, change.Detail);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new PromotionalSaveResult.Conflict(ConflictMessage);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return new PromotionalSaveResult.Refused(DatabaseFailures.Message);
        }
        return new PromotionalSaveResult.Saved((await ViewAsync(db, clientId, ct))!, change.Message);
    }

    /// <summary>One line: runs of spaces, line breaks and control characters become one space (a pasted novel is not tidied).</summary>
    private static string Tidy(string? how) =>
        how is null or { Length: > MaxHowLength * 4 } ? how ?? ""
        : string.Join(' ', new string([.. how.Select(c => char.IsControl(c) ? ' ' : c)]).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string? Problem(string text, string missing) =>
        text.Length > MaxHowLength ? $"Keep it to {MaxHowLength} characters: this is {text.Length:N0}."
        : text.Length == 0 ? missing
        : null;


    private async Task<PromotionalStatusView?> ViewAsync(PortalDbContext db, int clientId, CancellationToken ct)
    {
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == clientId)
            .Select(c => new { c.Version, c.PromotionalConsentAtUtc, c.PromotionalConsentSource, c.PromotionalOptOutAtUtc, c.PromotionalOptOutVia })
            .SingleOrDefaultAsync(ct);
        if (client is null)
            return null;
        var now = time.GetUtcNow().UtcDateTime;
        // The bulk audience's own facts and rule, so the card and the audience cannot disagree about consent.
        var facts = (await BulkAudienceService.FactsAsync(db, db.Clients.Where(c => c.Id == clientId), now, null, ct)).Single();
        return new PromotionalStatusView(clientId, client.Version, client.PromotionalConsentAtUtc, client.PromotionalConsentSource,
            facts.LastVisitUtc, BulkEligibility.HasConsent(facts, now), client.PromotionalOptOutAtUtc, client.PromotionalOptOutVia);
    }
}
