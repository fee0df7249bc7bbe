using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Practitioners;

namespace PortalApp.Features.IntakeForms.Rules;

/// <summary>What the rule editor edits: "send this form N days before this type of appointment, unless done in the last M months".</summary>
public sealed class FormRuleForm
{
    public int? Id { get; set; }
    public int? IntakeFormId { get; set; }
    public int? AppointmentTypeId { get; set; }
    public int DaysBefore { get; set; } = 3;
    public int SkipIfCompletedWithinMonths { get; set; } = 12;
    public bool IsActive { get; set; } = true;
    public int Version { get; set; }

    public FormRuleForm ToCopy() => (FormRuleForm)MemberwiseClone();
}

public sealed record FormRuleRow(int Id, int IntakeFormId, string FormTitle, int AppointmentTypeId, string AppointmentTypeName,
    int DaysBefore, int SkipIfCompletedWithinMonths, bool IsActive, int Version)
{
    /// <summary>The rule in one sentence, as the rules page and the client card say it.</summary>
    public string Sentence => FormRuleText.Sentence(FormTitle, AppointmentTypeName, DaysBefore, SkipIfCompletedWithinMonths);

    public FormRuleForm ToForm() => new()
    {
        Id = Id, IntakeFormId = IntakeFormId, AppointmentTypeId = AppointmentTypeId, DaysBefore = DaysBefore,
        SkipIfCompletedWithinMonths = SkipIfCompletedWithinMonths, IsActive = IsActive, Version = Version,
    };
}

public static class FormRuleText
{
    /// <summary>"General health history 3 days before New patient assessment": the rule as a sender's name and on the client card.</summary>
    public static string Short(string form, int daysBefore, string appointmentType) => $"{form} {When(daysBefore)} {appointmentType}";

    public static string When(int daysBefore) => daysBefore switch { 0 => "on the day of", 1 => "1 day before", _ => $"{daysBefore} days before" };

    public static string Sentence(string form, string appointmentType, int daysBefore, int skipMonths)
    {
        var when = When(daysBefore);
        var unless = skipMonths switch { 0 => "", 1 => ", unless it was completed in the last month", _ => $", unless it was completed in the last {skipMonths} months" };
        var article = appointmentType.Length > 0 && "AEIOUaeiou".Contains(appointmentType[0]) ? "an" : "a";
        return $"Send {form} {when} {article} {appointmentType}{unless}.";
    }
}

/// <summary>The Admin's rules that send forms by appointment type; the rule dispatcher applies them.</summary>
public sealed class FormRuleService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public const string AdminsOnly = "Only admins can change the rules that send intake forms.";
    public const string Conflict = "Someone else changed this rule while you were editing. Close and open it again.";

    public async Task<IReadOnlyList<FormRuleRow>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (from r in db.FormRules.AsNoTracking()
                      join f in db.IntakeForms on r.IntakeFormId equals f.Id
                      join t in db.AppointmentTypes on r.AppointmentTypeId equals t.Id
                      orderby t.Name, f.Title, r.Id
                      select new FormRuleRow(r.Id, f.Id, f.Title, t.Id, t.Name, r.DaysBefore, r.SkipIfCompletedWithinMonths, r.IsActive, r.Version))
            .ToListAsync(ct);
    }

    public static string? Problem(FormRuleForm form, out string? field)
    {
        field = nameof(form.IntakeFormId);
        if (form.IntakeFormId is null)
            return "Choose the form to send.";
        field = nameof(form.AppointmentTypeId);
        if (form.AppointmentTypeId is null)
            return "Choose the type of appointment.";
        field = nameof(form.DaysBefore);
        if (form.DaysBefore is < 0 or > FormRule.MaxDaysBefore)
            return $"Send it 0 to {FormRule.MaxDaysBefore} days before the appointment.";
        field = nameof(form.SkipIfCompletedWithinMonths);
        if (form.SkipIfCompletedWithinMonths is < 0 or > FormRule.MaxSkipMonths)
            return $"Skip it for 0 to {FormRule.MaxSkipMonths} months after the patient completed it (0: always send).";
        field = null;
        return null;
    }

    public async Task<AdminSaveResult> SaveAsync(FormRuleForm form, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.IsAdmin)
            return new AdminSaveResult(false, AdminsOnly);
        if (Problem(form, out var field) is { } problem)
            return new AdminSaveResult(false, problem, field);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var intakeForm = await db.IntakeForms.AsNoTracking().SingleOrDefaultAsync(f => f.Id == form.IntakeFormId, ct);
        if (intakeForm is null || intakeForm.ArchivedAtUtc is not null)
            return new AdminSaveResult(false, "That form is archived or no longer exists. Choose another.", nameof(form.IntakeFormId));
        if (!await db.IntakeFormVersions.AnyAsync(v => v.IntakeFormId == intakeForm.Id, ct))
            return new AdminSaveResult(false, $"{intakeForm.Title} has no published version yet. Publish it on the Forms page first.", nameof(form.IntakeFormId));
        var type = await db.AppointmentTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Id == form.AppointmentTypeId, ct);
        if (type is null)
            return new AdminSaveResult(false, "That appointment type no longer exists. Choose another.", nameof(form.AppointmentTypeId));
        if (form.IsActive && await db.FormRules.AnyAsync(r => r.IsActive && r.Id != form.Id && r.IntakeFormId == intakeForm.Id && r.AppointmentTypeId == type.Id, ct))
            return new AdminSaveResult(false, $"A rule already sends {intakeForm.Title} before a {type.Name}. Edit that one instead.", nameof(form.IntakeFormId));

        FormRule rule;
        if (form.Id is { } id)
        {
            rule = await db.FormRules.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new InvalidOperationException("Rule not found");
            if (rule.Version != form.Version)
                return new AdminSaveResult(false, Conflict);
            rule.Version++;
        }
        else
            rule = db.FormRules.Add(new FormRule { CreatedAtUtc = time.GetUtcNow().UtcDateTime, CreatedByName = actor.DisplayName }).Entity;
        rule.IntakeFormId = intakeForm.Id;
        rule.AppointmentTypeId = type.Id;
        rule.DaysBefore = form.DaysBefore;
        rule.SkipIfCompletedWithinMonths = form.SkipIfCompletedWithinMonths;
        rule.IsActive = form.IsActive;
        var sentence = FormRuleText.Sentence(intakeForm.Title, type.Name, form.DaysBefore, form.SkipIfCompletedWithinMonths);
        audit.Add(db, actor, AuditActions.IntakeFormRuleSave, null, AuditOutcome.Succeeded,
            $"{(form.Id is null ? "Added" : $"Rule {form.Id}")}: {sentence} {(form.IsActive ? "On" : "Off")}.");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new AdminSaveResult(false, Conflict);
        }
        return new AdminSaveResult(true, form.IsActive ? $"Saved: {sentence}" : "Saved. The rule is off: it sends nothing.");
    }
}
