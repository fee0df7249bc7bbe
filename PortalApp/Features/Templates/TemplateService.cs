using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;

namespace PortalApp.Features.Templates;

/// <summary>The clinic's templates: list, edit, duplicate, delete (never the default), choose the default. Admin only.</summary>
public sealed class TemplateService(IDbContextFactory<PortalDbContext> dbFactory, TemplateRenderer renderer, AuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<TemplateSummary>> ListAsync(TemplateKind? kind = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.MessageTemplates.AsNoTracking();
        if (kind is { } k)
            query = query.Where(t => t.Kind == k);
        var rows = await query.OrderBy(t => t.Kind).ThenBy(t => t.Language).ThenByDescending(t => t.IsDefault).ThenBy(t => t.Name)
            .Select(t => new { t.Id, t.Name, t.Kind, t.Subject, Start = t.Body.Substring(0, 80), t.IsDefault, t.UpdatedAtUtc, t.Language })
            .ToListAsync(ct);
        return rows.Select(t => new TemplateSummary(t.Id, t.Name, t.Kind, TemplateKinds.IsPlainText(t.Kind) ? Start(t.Start) : t.Subject,
            t.IsDefault, t.UpdatedAtUtc, t.Language)).ToList();
    }

    private static string Start(string body) => body.Length < 80 ? body : body.TrimEnd() + "…";

    public async Task<TemplateEditModel?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MessageTemplates.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new TemplateEditModel { Id = t.Id, Kind = t.Kind, Name = t.Name, Subject = t.Subject, Body = t.Body, Language = t.Language, Version = t.Version })
            .SingleOrDefaultAsync(ct);
    }

    public async Task<TemplateSaveResult> SaveAsync(TemplateEditModel model, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            throw new UnauthorizedAccessException("Only an admin can change templates.");
        var errors = TemplateRules.Validate(renderer, model.Kind, model.Name, model.Subject, model.Body);
        if (!TemplateKinds.LanguagesOf(model.Kind).Contains(model.Language))
            errors["Language"] = TemplateKinds.IsPerLanguage(model.Kind) ? "Choose English or French." : "This kind of template is written in English.";
        if (errors.Count > 0)
            return new TemplateSaveResult.Invalid(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        MessageTemplate? template;
        if (model.Id is { } id)
        {
            template = await db.MessageTemplates.SingleOrDefaultAsync(t => t.Id == id, ct);
            if (template is null)
                return new TemplateSaveResult.NotFound();
            if (template.Version != model.Version)
                return new TemplateSaveResult.Conflict("Another admin saved this template while you were editing. Your text is still in the editor; copy it, reload, and apply it again.");
            if (template.IsDefault && template.Language != model.Language)
                return new TemplateSaveResult.Invalid(new Dictionary<string, string>
                {
                    ["Language"] = $"This is the default {TemplateKinds.LanguageName(template.Language)} template, so its language stays. Make another template the {TemplateKinds.LanguageName(template.Language)} default first.",
                });
        }
        else
        {
            template = db.MessageTemplates.Add(new MessageTemplate { Kind = model.Kind, CreatedAtUtc = now }).Entity;
        }
        template.Name = model.Name.Trim();
        template.Subject = TemplateKinds.IsPlainText(model.Kind) ? "" : model.Subject.Trim();
        template.Language = model.Language;
        template.Body = model.Body;
        template.UpdatedAtUtc = now;
        audit.Add(db, actor, AuditActions.TemplateSave, null, AuditOutcome.Succeeded, $"{TemplatePlaceholders.Describe(template.Kind)} template '{template.Name}'");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new TemplateSaveResult.Conflict("Another admin saved this template while you were editing. Reload to see their version.");
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
        {
            return new TemplateSaveResult.Invalid(new Dictionary<string, string> { ["Name"] = "Another template of this kind already has this name." });
        }
        return new TemplateSaveResult.Saved(template.Id, template.Version);
    }

    public async Task<TemplateSaveResult> DuplicateAsync(int id, StaffActor actor, CancellationToken ct = default)
    {
        var source = await GetAsync(id, ct);
        if (source is null)
            return new TemplateSaveResult.NotFound();
        var existing = (await ListAsync(source.Kind, ct)).Select(t => t.Name).ToHashSet();
        var name = Enumerable.Range(1, 100).Select(n => n == 1 ? $"{source.Name} (copy)" : $"{source.Name} (copy {n})").First(n => !existing.Contains(n));
        return await SaveAsync(new TemplateEditModel { Kind = source.Kind, Name = name, Subject = source.Subject, Body = source.Body, Language = source.Language }, actor, ct);
    }

    public async Task<Outcome> DeleteAsync(int id, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            throw new UnauthorizedAccessException("Only an admin can delete templates.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var template = await db.MessageTemplates.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (template is null)
            return Outcome.Refuse("This template no longer exists.");
        if (template.IsDefault)
            return Outcome.Refuse("This is the default template. Make another one the default first, then delete this one.");
        db.MessageTemplates.Remove(template);
        audit.Add(db, actor, AuditActions.TemplateDelete, null, AuditOutcome.Succeeded, $"{TemplatePlaceholders.Describe(template.Kind)} template '{template.Name}'");
        await db.SaveChangesAsync(ct);
        return Outcome.Ok;
    }

    public async Task<Outcome> MakeDefaultAsync(int id, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            throw new UnauthorizedAccessException("Only an admin can choose the default template.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await WriteLock.BeginClinicWideAsync(db, ct);
        var template = await db.MessageTemplates.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (template is null)
            return Outcome.Refuse("This template no longer exists.");
        if (template.IsDefault)
            return Outcome.Ok;
        // Clear the old default first: the filtered unique index allows one default per kind and language at any moment.
        await db.MessageTemplates.Where(t => t.Kind == template.Kind && t.Language == template.Language && t.IsDefault)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.IsDefault, false).SetProperty(t => t.Version, t => t.Version + 1), ct);
        template.IsDefault = true;
        audit.Add(db, actor, AuditActions.TemplateDefault, null, AuditOutcome.Succeeded, $"{TemplatePlaceholders.Describe(template.Kind)} template '{template.Name}'");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome.Ok;
    }

    /// <summary>
    /// Start-up: every kind gets its friendly default in each language it is written in, if the clinic has no template
    /// of that kind and language (a clinic that wrote its own keeps it; a French one is added beside an English one).
    /// </summary>
    public static async Task EnsureDefaultsAsync(PortalDbContext db, DateTime now, CancellationToken ct = default)
    {
        var present = (await db.MessageTemplates.Select(t => new { t.Kind, t.Language }).Distinct().ToListAsync(ct))
            .Select(t => (t.Kind, t.Language)).ToHashSet();
        foreach (var template in DefaultTemplates.All(now).Where(t => !present.Contains((t.Kind, t.Language))))
            db.MessageTemplates.Add(template);
        await db.SaveChangesAsync(ct);
    }
}
