using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;

namespace PortalApp.Features.IntakeForms;

/// <summary>
/// The clinic's forms: a draft edited freely and published as numbered versions that never change (docs/decisions/0015).
/// The draft stays after publishing as the form's working copy; it has unpublished changes when it differs from the
/// latest version. Admins and practitioners edit forms; every change is audited.
/// </summary>
public sealed class IntakeFormService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    /// <summary>Who manages forms, for <c>[Authorize]</c> and the nav; <see cref="MayEdit"/> is the same rule for the service.</summary>
    public const string EditorRoles = StaffRoles.Admin + "," + StaffRoles.Practitioner;

    public const string ConflictMessage = "Someone else changed this form while you were editing it. Your changes are still on screen: copy what you need, reload, and apply them again.";

    public async Task<IReadOnlyList<IntakeFormSummary>> ListAsync(bool includeArchived = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var forms = db.IntakeForms.AsNoTracking().Where(f => includeArchived || f.ArchivedAtUtc == null);
        var rows = await forms.OrderBy(f => f.Title).ThenBy(f => f.Id)
            .Select(f => new
            {
                f.Id, f.Title, f.DraftJson, f.DraftUpdatedAtUtc, f.DraftUpdatedByName, f.ArchivedAtUtc, f.StarterKey,
                Latest = db.IntakeFormVersions.Where(v => v.IntakeFormId == f.Id).OrderByDescending(v => v.Number)
                    .Select(v => new { v.Number, v.PublishedAtUtc, v.DefinitionSha256 }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.Select(r => new IntakeFormSummary(r.Id, r.Title, r.Latest?.Number, r.Latest?.PublishedAtUtc, r.DraftJson is not null,
            r.DraftJson is not null && (r.Latest is null || FormJson.Sha256(r.DraftJson) != r.Latest.DefinitionSha256),
            r.DraftUpdatedAtUtc, r.DraftUpdatedByName, r.ArchivedAtUtc is not null, r.StarterKey is not null)).ToList();
    }

    public async Task<FormDraftResult> CreateAsync(string title, StaffActor actor, CancellationToken ct = default)
    {
        EnsureMayEdit(actor);
        title = title?.Trim() ?? "";
        if (title.Length == 0)
            return new FormDraftResult.Invalid([new(null, "Give the form a title.")]);
        if (title.Length > FormLimits.MaxTitleLength)
            return new FormDraftResult.Invalid([new(null, $"The form's title is {title.Length} characters; keep it to {FormLimits.MaxTitleLength}.")]);
        return await AddAsync(new FormDefinition(title, null, []), actor, AuditActions.IntakeFormCreate, $"Form '{title}'", ct);
    }

    /// <summary>
    /// A FHIR R4 Questionnaire from another system becomes a new form whose draft the clinic reviews and publishes: nothing
    /// is published on import. A file the parser or the form rules refuse changes nothing.
    /// </summary>
    public async Task<FormDraftResult> ImportAsync(string? json, StaffActor actor, CancellationToken ct = default)
    {
        EnsureMayEdit(actor);
        switch (FhirQuestionnaireMapper.FromQuestionnaireJson(json))
        {
            case FhirImport<FormDefinition>.Refused { Problems.Count: > 0 } refused:
                return new FormDraftResult.Invalid(refused.Problems);
            case FhirImport<FormDefinition>.Refused refused:
                return new FormDraftResult.Refused(refused.Reason);
            case FhirImport<FormDefinition>.Imported { Value: var definition }:
                var title = definition.Title.Trim();
                var questions = FormItems.InOrder(definition.Items).Count(x => x.Item.Type != FormItemType.Group);
                return await AddAsync(definition with { Title = title }, actor, AuditActions.IntakeFormImport,
                    $"Form '{title}' from a FHIR Questionnaire: {questions} items", ct);
            default:
                throw new InvalidOperationException("Unknown import result.");
        }
    }

    private async Task<FormDraftResult> AddAsync(FormDefinition definition, StaffActor actor, string action, string details, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var form = db.IntakeForms.Add(new IntakeForm
        {
            Title = definition.Title, Description = definition.Description, CreatedAtUtc = now, DraftUpdatedAtUtc = now,
            DraftUpdatedByName = actor.DisplayName, DraftJson = FormJson.Serialize(definition),
        }).Entity;
        audit.Add(db, actor, action, null, AuditOutcome.Succeeded, details);
        await db.SaveChangesAsync(ct);
        return new FormDraftResult.Saved(form.Id, form.Version);
    }

    /// <summary>The draft, or the latest version when the form has none yet (a starter form): the builder starts from it.</summary>
    public async Task<IntakeFormDraftView?> GetDraftAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var form = await db.IntakeForms.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct);
        if (form is null)
            return null;
        var latest = await LatestAsync(db, id, ct);
        var json = form.DraftJson ?? latest?.DefinitionJson;
        var definition = json is not null && FormJson.ReadDefinition(json) is JsonRead<FormDefinition>.Read read
            ? read.Value
            : new FormDefinition(form.Title, form.Description, []);
        return new IntakeFormDraftView(form.Id, definition, form.Version, form.DraftJson is not null, latest?.Number, form.ArchivedAtUtc is not null);
    }

    /// <summary>Saves the builder's draft. <paramref name="version"/> is the one the builder loaded: a stale one is refused.</summary>
    public async Task<FormDraftResult> SaveDraftAsync(int id, FormDefinition definition, int version, StaffActor actor, CancellationToken ct = default)
    {
        EnsureMayEdit(actor);
        var problems = FormDefinitionRules.CheckLimits(definition);
        if (problems.Count > 0)
            return new FormDraftResult.Invalid(problems);
        var json = FormJson.Serialize(definition);
        if (json.Length > FormLimits.MaxDefinitionJsonBytes)
            return new FormDraftResult.Invalid([new(null, $"This form is larger than {FormLimits.MaxDefinitionJsonBytes / 1024 / 1024} MB. Split it into two forms.")]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var form = await db.IntakeForms.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (form is null)
            return new FormDraftResult.Refused("This form no longer exists.");
        if (form.ArchivedAtUtc is not null)
            return new FormDraftResult.Refused("This form is archived; it can no longer be edited.");
        if (form.Version != version)
            return new FormDraftResult.Refused(ConflictMessage);
        form.DraftJson = json;
        if (!string.IsNullOrWhiteSpace(definition.Title))
            form.Title = definition.Title.Trim();
        form.Description = definition.Description;
        return await SaveDraftChangeAsync(db, form, actor, $"Form '{form.Title}'", ct);
    }

    /// <summary>Stamps and audits a change to the draft, then saves it; someone else's save since it was read is a conflict.</summary>
    private async Task<FormDraftResult> SaveDraftChangeAsync(PortalDbContext db, IntakeForm form, StaffActor actor, string detail, CancellationToken ct)
    {
        form.DraftUpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        form.DraftUpdatedByName = actor.DisplayName;
        audit.Add(db, actor, AuditActions.IntakeFormSaveDraft, null, AuditOutcome.Succeeded, detail);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new FormDraftResult.Refused(ConflictMessage);
        }
        return new FormDraftResult.Saved(form.Id, form.Version);
    }

    /// <summary>
    /// Publishes the saved draft as the next numbered version. The form's row is held (WriteLock) while the number is
    /// chosen, and (IntakeFormId, Number) is unique, so two publishes at once get 1 and 2, never the same number.
    /// </summary>
    public async Task<FormPublishResult> PublishAsync(int id, StaffActor actor, CancellationToken ct = default)
    {
        EnsureMayEdit(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await WriteLock.BeginAsync<IntakeForm>(db, id, ct);
        var form = await db.IntakeForms.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (form is null)
            return new FormPublishResult.Refused("This form no longer exists.");
        if (form.ArchivedAtUtc is not null)
            return new FormPublishResult.Refused("This form is archived; restore a copy to publish it again.");
        if (form.DraftJson is null || FormJson.ReadDefinition(form.DraftJson) is not JsonRead<FormDefinition>.Read { Value: var definition })
            return new FormPublishResult.Refused("This form has no draft to publish. Edit it first.");
        var problems = FormDefinitionRules.Check(definition);
        if (problems.Count > 0)
            return new FormPublishResult.Invalid(problems);
        var number = (await db.IntakeFormVersions.Where(v => v.IntakeFormId == id).MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;
        var now = time.GetUtcNow().UtcDateTime;
        var published = db.IntakeFormVersions.Add(new IntakeFormVersion
        {
            IntakeFormId = id, Number = number, Title = definition.Title.Trim(), DefinitionJson = form.DraftJson,
            DefinitionSha256 = FormJson.Sha256(form.DraftJson), PublishedAtUtc = now, PublishedByName = actor.DisplayName,
        }).Entity;
        // Touching the form bumps its Version: a builder still holding the old one is told someone else changed it.
        form.Title = published.Title;
        audit.Add(db, actor, AuditActions.IntakeFormPublish, null, AuditOutcome.Succeeded, $"Form '{form.Title}' version {number}, SHA-256 {published.DefinitionSha256}");
        db.Entry(form).Property(f => f.Title).IsModified = true;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
        {
            return new FormPublishResult.Refused("Someone else published this form at the same moment. Reload to see their version.");
        }
        await tx.CommitAsync(ct);
        return new FormPublishResult.Published(published.Id, number, form.Version);
    }

    /// <summary>Replaces the draft with the latest published version: a starter form's first edit, or "discard my changes".</summary>
    public async Task<FormDraftResult> StartDraftFromLatestAsync(int id, StaffActor actor, CancellationToken ct = default)
    {
        EnsureMayEdit(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var form = await db.IntakeForms.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (form is null)
            return new FormDraftResult.Refused("This form no longer exists.");
        if (form.ArchivedAtUtc is not null)
            return new FormDraftResult.Refused("This form is archived; it can no longer be edited.");
        var latest = await LatestAsync(db, id, ct);
        if (latest is null)
            return new FormDraftResult.Refused("This form has no published version to start from.");
        form.DraftJson = latest.DefinitionJson;
        return await SaveDraftChangeAsync(db, form, actor, $"Form '{form.Title}': new draft from version {latest.Number}", ct);
    }

    /// <summary>Archived forms can no longer be sent or edited; their versions and responses stay.</summary>
    public async Task<Outcome> ArchiveAsync(int id, StaffActor actor, CancellationToken ct = default)
    {
        EnsureMayEdit(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var form = await db.IntakeForms.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (form is null)
            return Outcome.Refuse("This form no longer exists.");
        if (form.ArchivedAtUtc is not null)
            return Outcome.Ok;
        form.ArchivedAtUtc = time.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, AuditActions.IntakeFormArchive, null, AuditOutcome.Succeeded, $"Form '{form.Title}'");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Refuse(ConflictMessage);
        }
        return Outcome.Ok;
    }

    public async Task<IntakeFormVersionView?> GetVersionAsync(int versionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return View(await db.IntakeFormVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, ct));
    }

    /// <summary>Every published version of a form, newest first, for the editor's Versions list.</summary>
    public async Task<IReadOnlyList<IntakeFormVersionSummary>> ListVersionsAsync(int formId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.IntakeFormVersions.AsNoTracking().Where(v => v.IntakeFormId == formId).OrderByDescending(v => v.Number)
            .Select(v => new IntakeFormVersionSummary(v.Id, v.Number, v.PublishedAtUtc, v.PublishedByName, v.DefinitionSha256))
            .ToListAsync(ct);
    }

    /// <summary>
    /// A form as a FHIR R4 Questionnaire file: version <paramref name="number"/>, or without one the latest published
    /// version (the draft when nothing is published yet). Audited like every other export. Null when there is no such form or version.
    /// </summary>
    public async Task<FormExport?> ExportAsync(int formId, int? number, StaffActor actor, CancellationToken ct = default)
    {
        EnsureMayEdit(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var form = await db.IntakeForms.AsNoTracking().SingleOrDefaultAsync(f => f.Id == formId, ct);
        if (form is null)
            return null;
        var version = number is { } n
            ? await db.IntakeFormVersions.AsNoTracking().SingleOrDefaultAsync(v => v.IntakeFormId == formId && v.Number == n, ct)
            : await LatestAsync(db, formId, ct);
        if (number is not null && version is null)
            return null;
        var json = version?.DefinitionJson ?? form.DraftJson;
        var definition = FormJson.ReadDefinition(json) is JsonRead<FormDefinition>.Read read ? read.Value : new FormDefinition(form.Title, form.Description, []);
        var what = version is null ? "the draft" : $"version {version.Number}";
        audit.Add(db, actor, AuditActions.IntakeFormExport, null, AuditOutcome.Succeeded, $"Form '{form.Title}', {what}, as a FHIR Questionnaire");
        await db.SaveChangesAsync(ct);
        return new FormExport(FormExport.FileNameFor(definition.Title), FhirQuestionnaireMapper.ToQuestionnaireJson(definition));
    }

    public async Task<IntakeFormVersionView?> GetLatestVersionAsync(int formId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return View(await LatestAsync(db, formId, ct));
    }

    private static Task<IntakeFormVersion?> LatestAsync(PortalDbContext db, int formId, CancellationToken ct) =>
        db.IntakeFormVersions.AsNoTracking().Where(v => v.IntakeFormId == formId).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);

    private static IntakeFormVersionView? View(IntakeFormVersion? v) =>
        v is null || FormJson.ReadDefinition(v.DefinitionJson) is not JsonRead<FormDefinition>.Read { Value: var definition }
            ? null
            : new IntakeFormVersionView(v.Id, v.IntakeFormId, v.Number, v.Title, definition, v.DefinitionSha256, v.PublishedAtUtc, v.PublishedByName);

    public static bool MayEdit(StaffActor actor) => actor.IsAdmin || actor.Roles.Contains(StaffRoles.Practitioner);

    private static void EnsureMayEdit(StaffActor actor)
    {
        if (!MayEdit(actor))
            throw new UnauthorizedAccessException("Only admins and practitioners can change intake forms.");
    }
}
