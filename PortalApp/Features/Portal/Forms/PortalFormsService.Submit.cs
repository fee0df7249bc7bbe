using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Components.Shared;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Responses;

namespace PortalApp.Features.Portal.Forms;

/// <summary>The final submission: checked once more, written once, with its PDF.</summary>
public sealed partial class PortalFormsService
{
    /// <summary>
    /// Submits the saved draft, once: the assignment's row is held while it is checked and written, and a response per
    /// assignment is unique, so two tabs submitting at once make one response. The PDF is made here and kept.
    /// </summary>
    public async Task<FormSubmitResult> SubmitAsync(PortalSession session, int assignmentId, CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        var settings = await clinic.GetAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await FindAsync(db, session, assignmentId, ct);
        if (found is null)
            return new FormSubmitResult.NotFound();
        var (assignment, version, definition) = found.Value;
        if (await RefusalAsync(db, session, assignment, "Submit", ct) is { } refusal)
            return new FormSubmitResult.Refused(refusal);
        var files = await db.FormAttachments.AsNoTracking().Where(f => f.FormAssignmentId == assignment.Id)
            .Select(f => new { f.Id, f.LinkId, f.FileName }).ToListAsync(ct);
        var attachments = files.ToDictionary(f => f.Id, f => f.FileName);
        // An attachment answer counts only with its file, stored for this form and this question.
        var draft = new FormAnswers(Read(assignment.DraftAnswersJson).ByLinkId.ToDictionary(a => a.Key,
            a => a.Value.AttachmentId is { } id && !files.Any(f => f.Id == id && f.LinkId == a.Key) ? new FormAnswer([]) : a.Value, StringComparer.Ordinal));
        var check = AnswerValidator.Check(definition, draft, AnswerPoster.Patient, complete: true, now);
        if (!check.IsValid)
            return new FormSubmitResult.Incomplete(check.Problems);
        var answers = new FormAnswers(Stored(check.Kept, draft));
        var score = FormScore.Total(definition, answers);
        var filledBy = session.Patient.IsSelf ? session.Account.DisplayName : $"{session.Account.DisplayName} for {session.Patient.FullName}";
        var pdf = FormResponsePdf.Make(new FormResponsePdfContent(settings.Name, version.Title, version.Number, session.Patient.FullName, filledBy, now,
            settings.TimeZone, FormAnswerDisplay.Rows(definition, answers, settings.TimeZone, id => attachments.GetValueOrDefault(id)),
            score is null ? null : $"Total score: {score:0.##}{(PhqScore.From(answers) is { } phq ? $" ({phq.Band})" : "")}"));
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf));

        db.ChangeTracker.Clear();
        await using var tx = await WriteLock.BeginAsync<FormAssignment>(db, assignmentId, ct);
        var held = await db.FormAssignments.SingleAsync(a => a.Id == assignmentId, ct);
        if (await RefusalAsync(db, session, held, "Submit", ct) is { } late)
            return new FormSubmitResult.Refused(late);
        var response = db.FormResponses.Add(new FormResponse
        {
            FormAssignmentId = held.Id, ClientId = held.ClientId, IntakeFormId = held.IntakeFormId, IntakeFormVersionId = held.IntakeFormVersionId,
            AnswersJson = answers.ToJson(), Score = score, SubmittedAtUtc = now, FilledByName = session.Account.DisplayName,
            FilledByUserId = session.Account.UserId, FilledForClientName = session.Patient.IsSelf ? null : session.Patient.FullName,
            PdfBytes = pdf, PdfSha256 = sha,
        }).Entity;
        held.Status = FormAssignmentStatus.Submitted;
        held.SubmittedAtUtc = now;
        held.DraftAnswersJson = answers.ToJson();
        held.NextReminderAtUtc = null; // reminders stop the moment the form is in
        held.Version++; // and a reminder claimed before this moment is not sent (FormReminderDispatcher)
        audit.Add(db, null, AuditActions.IntakeFormSubmit, session.ClientId, AuditOutcome.Succeeded,
            $"Form '{version.Title}' version {version.Number}{ByCaregiver(session)}, PDF SHA-256 {sha}");
        try
        {
            await db.SaveChangesAsync(ct);
            held.FormResponseId = response.Id;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsUniqueViolation(ex))
        {
            return new FormSubmitResult.Refused(SentMessage(held.SubmittedAtUtc ?? now, settings.TimeZone));
        }
        return new FormSubmitResult.Submitted(response.Id, sha);
    }
}
