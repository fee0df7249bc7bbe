using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.IntakeForms;

namespace PortalApp.Features.Portal.Forms;

public abstract record AttachResult
{
    public sealed record Attached(int AttachmentId, string FileName) : AttachResult;

    public sealed record Removed : AttachResult;

    public sealed record NotFound : AttachResult;

    public sealed record Refused(string Reason) : AttachResult;
}

/// <summary>Files for attachment questions: one per question, checked by content, at most 10 MB, kept with their SHA-256.</summary>
public sealed partial class PortalFormsService
{
    public static readonly string TooLarge = $"The file is larger than {FormLimits.MaxAttachmentBytes / 1024 / 1024} MB. Attach a smaller photo or PDF.";

    /// <summary>Attaches (or replaces) the file of one attachment question. <paramref name="length"/> is checked before a byte is read.</summary>
    public async Task<AttachResult> AttachAsync(PortalSession session, int assignmentId, string linkId, string? fileName, Stream content, long length,
        CancellationToken ct = default)
    {
        if (length > FormLimits.MaxAttachmentBytes)
            return new AttachResult.Refused(TooLarge);
        var bytes = new byte[length];
        await content.ReadExactlyAsync(bytes, ct);
        if (AttachmentTypes.Sniff(bytes) is not { } type)
            return new AttachResult.Refused(AttachmentTypes.Refusal);
        var name = AttachmentTypes.SafeName(fileName);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await WriteLock.BeginAsync<FormAssignment>(db, assignmentId, ct);
        if (await AttachmentQuestionAsync(db, session, assignmentId, linkId, ct) is not { } assignment)
            return new AttachResult.NotFound();
        if (await RefusalAsync(db, session, assignment, "Attachment", ct) is { } refusal)
            return new AttachResult.Refused(refusal);
        await db.FormAttachments.Where(f => f.FormAssignmentId == assignmentId && f.LinkId == linkId).ExecuteDeleteAsync(ct);
        var attachment = db.FormAttachments.Add(new FormAttachment
        {
            FormAssignmentId = assignmentId, LinkId = linkId, FileName = name, ContentType = type, Bytes = bytes,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), UploadedAtUtc = clock.UtcNow,
        }).Entity;
        await db.SaveChangesAsync(ct);
        SetDraftAnswer(assignment, session, linkId, new FormAnswer([], AttachmentId: attachment.Id));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AttachResult.Attached(attachment.Id, name);
    }

    public async Task<AttachResult> RemoveAttachmentAsync(PortalSession session, int assignmentId, string linkId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await WriteLock.BeginAsync<FormAssignment>(db, assignmentId, ct);
        if (await AttachmentQuestionAsync(db, session, assignmentId, linkId, ct) is not { } assignment)
            return new AttachResult.NotFound();
        if (await RefusalAsync(db, session, assignment, "Attachment removal", ct) is { } refusal)
            return new AttachResult.Refused(refusal);
        await db.FormAttachments.Where(f => f.FormAssignmentId == assignmentId && f.LinkId == linkId).ExecuteDeleteAsync(ct);
        SetDraftAnswer(assignment, session, linkId, new FormAnswer([]));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AttachResult.Removed();
    }

    private void SetDraftAnswer(FormAssignment assignment, PortalSession session, string linkId, FormAnswer answer)
    {
        var answers = new Dictionary<string, FormAnswer>(Read(assignment.DraftAnswersJson).ByLinkId, StringComparer.Ordinal) { [linkId] = answer };
        assignment.DraftAnswersJson = new FormAnswers(answers).ToJson();
        assignment.DraftSavedAtUtc = clock.UtcNow;
        assignment.DraftSavedByName = session.Account.DisplayName;
        assignment.Status = FormAssignmentStatus.Draft;
    }

    /// <summary>The assignment, when <paramref name="linkId"/> is an attachment question the patient may answer on it.</summary>
    private static async Task<FormAssignment?> AttachmentQuestionAsync(PortalDbContext db, PortalSession session, int assignmentId, string linkId, CancellationToken ct)
    {
        if (await FindAsync(db, session, assignmentId, ct) is not var (assignment, _, definition))
            return null;
        return FormItems.InOrder(definition.Items).Any(i => i.Item.LinkId == linkId && i.Item.Type == FormItemType.Attachment)
            && !FormItems.StaffOnly(definition.Items).Contains(linkId)
            ? assignment
            : null;
    }
}
