using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Components.Shared;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Responses;

namespace PortalApp.Features.Portal.Forms;

/// <summary>
/// The patient's side of intake forms: the list, a draft saved section by section, and the final submission with its
/// PDF. The patient is always the session's, never the request's; an account that may not see forms (an
/// appointments-only caregiver) finds none, and an end-dated patient is refused, audited, whatever the page showed.
/// </summary>
public sealed partial class PortalFormsService(IDbContextFactory<PortalDbContext> dbFactory, ClinicClock clock, ClinicSettingsService clinic, AuditLog audit)
{
    public const string EndedMessage = "Your portal access has ended, so this form can no longer be filled in. Contact the clinic if you need to.";
    public const string WithdrawnMessage = "The clinic withdrew this form: there is nothing more to fill in.";

    public async Task<IReadOnlyList<PortalFormSummary>> ListAsync(PortalSession session, CancellationToken ct = default)
    {
        if (!session.Patient.SeesMessages)
            return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.FormAssignments.AsNoTracking()
            .Where(a => a.ClientId == session.ClientId && a.Status != FormAssignmentStatus.Withdrawn)
            .OrderByDescending(a => a.SentAtUtc).ThenByDescending(a => a.Id)
            .Select(a => new PortalFormSummary(a.Id,
                db.IntakeFormVersions.Where(v => v.Id == a.IntakeFormVersionId).Select(v => v.Title).FirstOrDefault() ?? "",
                a.Status, a.SentAtUtc, a.DraftSavedAtUtc, a.SubmittedAtUtc,
                db.Appointments.Where(p => p.Id == a.AppointmentId).Select(p => (DateTime?)p.StartUtc).FirstOrDefault(), a.DueAtUtc))
            .ToListAsync(ct);
    }

    public async Task<PortalFormOpen> OpenAsync(PortalSession session, int assignmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindAsync(db, session, assignmentId, ct);
        if (found is null)
            return new PortalFormOpen.NotFound();
        var (assignment, version, definition) = found.Value;
        if (await EndedAsync(db, session, ct))
        {
            await RefuseAsync(db, session, assignment, "Open refused: client end-dated", ct);
            return new PortalFormOpen.Refused(EndedMessage);
        }
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        var draft = Read(assignment.DraftAnswersJson);
        var answers = new Dictionary<string, FormAnswer>(draft.ByLinkId, StringComparer.Ordinal);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!IsReadOnly(assignment))
        {
            var previous = await db.FormResponses.AsNoTracking()
                .Where(r => r.ClientId == session.ClientId && r.IntakeFormId == assignment.IntakeFormId)
                .OrderByDescending(r => r.SubmittedAtUtc).ThenByDescending(r => r.Id)
                .Select(r => new { r.AnswersJson, r.SubmittedAtUtc }).FirstOrDefaultAsync(ct);
            if (previous is not null)
                Prefill(definition, answers, notes, Read(previous.AnswersJson), $"From your answer of {Dates.FormatClinicDate(previous.SubmittedAtUtc, zone)}");
        }
        var appointmentStart = assignment.AppointmentId is { } appointmentId
            ? await db.Appointments.Where(p => p.Id == appointmentId).Select(p => (DateTime?)p.StartUtc).FirstOrDefaultAsync(ct)
            : null;
        var attachments = await db.FormAttachments.AsNoTracking().Where(f => f.FormAssignmentId == assignment.Id)
            .Select(f => new { f.Id, f.FileName }).ToDictionaryAsync(f => f.Id, f => f.FileName, ct);
        return new PortalFormOpen.Opened(new PortalFormView(assignment.Id, version.Title, version.Number, definition, assignment.Status,
            new FormAnswers(answers), notes, assignment.DraftSavedAtUtc, assignment.SubmittedAtUtc, appointmentStart, attachments));
    }

    /// <summary>
    /// Saves one section's answers into the draft. What the patient cleared stays cleared (an empty answer, so the
    /// previous response does not fill it again); what does not read (a word in a number box) is not saved and comes
    /// back as a problem, with the rest saved.
    /// </summary>
    /// <param name="posted">The section's answers, read from the post by FieldValues.ToAnswers.</param>
    /// <param name="checkRequired">Moving on: a required question of this section left empty is a problem too.</param>
    /// <param name="audited">An explicit save (a section change); autosaves between keystrokes are not one row each.</param>
    public Task<FormSaveResult> SaveDraftAsync(PortalSession session, int assignmentId, int sectionNumber,
        IReadOnlyDictionary<string, FormAnswer> posted, bool checkRequired, bool audited, CancellationToken ct = default) =>
        SaveDraftAsync(session, assignmentId, sectionNumber, _ => posted, checkRequired, audited, ct);

    /// <summary>Saves a section as posted by the page or its autosave (fields named as IntakeFormFields names them).</summary>
    public Task<FormSaveResult> SavePostedAsync(PortalSession session, int assignmentId, int sectionNumber,
        IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> post, bool checkRequired, bool audited, CancellationToken ct = default) =>
        // The consent's time is the server's: the validator stamps it.
        SaveDraftAsync(session, assignmentId, sectionNumber,
            items => IntakeForms.Rendering.FieldValues.ToAnswers(IntakeForms.Rendering.FieldValues.FromPost(post, items), items, DateTime.UnixEpoch),
            checkRequired, audited, ct);

    private async Task<FormSaveResult> SaveDraftAsync(PortalSession session, int assignmentId, int sectionNumber,
        Func<IReadOnlyList<FormItem>, IReadOnlyDictionary<string, FormAnswer>> read, bool checkRequired, bool audited, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await WriteLock.BeginAsync<FormAssignment>(db, assignmentId, ct);
        var found = await FindAsync(db, session, assignmentId, ct);
        if (found is null)
            return new FormSaveResult.NotFound();
        var (assignment, version, definition) = found.Value;
        if (await RefusalAsync(db, session, assignment, "Draft save", ct) is { } refusal)
            return new FormSaveResult.Refused(refusal);
        var sections = FormSection.Of(definition);
        if (sectionNumber < 1 || sectionNumber > sections.Count)
            return new FormSaveResult.NotFound();
        var sectionIds = FormItems.InOrder(sections[sectionNumber - 1].Items).Select(i => i.Item.LinkId).ToHashSet(StringComparer.Ordinal);
        var posted = read(sections[sectionNumber - 1].Items);
        var now = clock.UtcNow;
        var draft = Read(assignment.DraftAnswersJson);
        var merged = draft.ByLinkId.Where(a => !(sectionIds.Contains(a.Key) && posted.ContainsKey(a.Key)))
            .Concat(posted.Where(p => sectionIds.Contains(p.Key)))
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var check = AnswerValidator.Check(definition, new FormAnswers(merged), AnswerPoster.Patient, complete: checkRequired, now);
        var stored = Stored(check.Kept, draft);
        foreach (var linkId in posted.Keys.Where(sectionIds.Contains).Where(id => !stored.ContainsKey(id)))
            stored[linkId] = new FormAnswer([]); // cleared (or not readable): the previous response must not fill it again
        var problems = check.Problems.Where(p => sectionIds.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        assignment.DraftAnswersJson = new FormAnswers(stored).ToJson();
        assignment.DraftSavedAtUtc = now;
        assignment.DraftSavedByName = session.Account.DisplayName;
        assignment.Status = FormAssignmentStatus.Draft;
        if (audited)
            audit.Add(db, null, AuditActions.IntakeFormAnswersSave, session.ClientId, AuditOutcome.Succeeded,
                $"Form '{version.Title}' version {version.Number}, section {sectionNumber}{ByCaregiver(session)}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new FormSaveResult.Saved(now, problems);
    }

    public static string SentMessage(DateTime submittedAtUtc, TimeZoneInfo zone) =>
        $"You sent this form on {Dates.FormatClinicTime(submittedAtUtc, zone)}. It can no longer be changed.";

    private static string ByCaregiver(PortalSession session) =>
        session.Patient.IsSelf ? "" : $", filled in by caregiver {session.Account.DisplayName}";

    private static bool IsReadOnly(FormAssignment assignment) =>
        assignment.Status is FormAssignmentStatus.Submitted or FormAssignmentStatus.Withdrawn;

    /// <summary>Why this assignment may not be written now (end-dated patient, sent or withdrawn form), audited; null when it may.</summary>
    private async Task<string?> RefusalAsync(PortalDbContext db, PortalSession session, FormAssignment assignment, string what, CancellationToken ct)
    {
        if (await EndedAsync(db, session, ct))
        {
            await RefuseAsync(db, session, assignment, $"{what} refused: client end-dated", ct);
            return EndedMessage;
        }
        if (assignment.Status == FormAssignmentStatus.Withdrawn)
            return WithdrawnMessage;
        if (assignment.Status == FormAssignmentStatus.Submitted)
            return SentMessage(assignment.SubmittedAtUtc ?? clock.UtcNow, (await clinic.GetAsync(ct)).TimeZone);
        return null;
    }

    private async Task RefuseAsync(PortalDbContext db, PortalSession session, FormAssignment assignment, string details, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        audit.Add(db, null, AuditActions.IntakeFormFillRefused, session.ClientId, AuditOutcome.Refused, $"{details}, form assignment {assignment.Id}");
        await db.SaveChangesAsync(ct);
        if (db.Database.CurrentTransaction is { } tx)
            await tx.CommitAsync(ct);
    }

    private async Task<bool> EndedAsync(PortalDbContext db, PortalSession session, CancellationToken ct)
    {
        var endDate = await db.Clients.Where(c => c.Id == session.ClientId).Select(c => c.EndDate).SingleAsync(ct);
        return endDate is { } end && end <= await clock.TodayAsync(ct);
    }

    /// <summary>The assignment if it is this session's patient's and the account may see forms; else null (a 404).</summary>
    private static async Task<(FormAssignment Assignment, IntakeFormVersion Version, FormDefinition Definition)?> FindAsync(
        PortalDbContext db, PortalSession session, int assignmentId, CancellationToken ct)
    {
        if (!session.Patient.SeesMessages)
            return null;
        var assignment = await db.FormAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId && a.ClientId == session.ClientId, ct);
        if (assignment is null)
            return null;
        var version = await db.IntakeFormVersions.AsNoTracking().SingleAsync(v => v.Id == assignment.IntakeFormVersionId, ct);
        return FormJson.ReadDefinition(version.DefinitionJson) is JsonRead<FormDefinition>.Read { Value: var definition }
            ? (assignment, version, definition)
            : null;
    }

    /// <summary>The validator's answers, except that a consent already signed keeps the time it was signed.</summary>
    private static Dictionary<string, FormAnswer> Stored(FormAnswers kept, FormAnswers draft) =>
        kept.ByLinkId.ToDictionary(a => a.Key,
            a => a.Value.Consent is not null && draft[a.Key]?.Consent is { Agreed: true } signed && signed.FullName.Trim() == a.Value.Consent.FullName
                ? a.Value with { Consent = signed }
                : a.Value,
            StringComparer.Ordinal);

    /// <summary>
    /// Fills, from the previous response, each question the draft has no answer to (matched by link id, whatever the
    /// version). Not a signature or a file: those are given afresh each time.
    /// </summary>
    private static void Prefill(FormDefinition definition, Dictionary<string, FormAnswer> answers, Dictionary<string, string> notes,
        FormAnswers previous, string note)
    {
        var usable = AnswerValidator.Check(definition, previous, AnswerPoster.Patient, complete: false, DateTime.UnixEpoch).Kept;
        foreach (var (item, _) in FormItems.InOrder(definition.Items ?? []))
        {
            if (item.Type is FormItemType.Consent or FormItemType.Attachment || usable[item.LinkId] is not { } before)
                continue;
            answers.TryAdd(item.LinkId, before);
            if (Same(answers[item.LinkId], before))
                notes[item.LinkId] = note;
        }
    }

    private static bool Same(FormAnswer a, FormAnswer b) =>
        a.Values.SequenceEqual(b.Values, StringComparer.Ordinal) && string.Equals(a.OtherText, b.OtherText, StringComparison.Ordinal);

    private static FormAnswers Read(string? json) =>
        json is not null && FormAnswers.FromJson(json) is JsonRead<FormAnswers>.Read { Value: var answers } ? answers : FormAnswers.Empty;
}
