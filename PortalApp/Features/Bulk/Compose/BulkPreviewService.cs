using System.Net;
using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Clinic;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Bulk.Compose;

public abstract record BulkPreviewResult
{
    /// <param name="Content">Exactly what the patient would get, with sample links where the real ones are personal.</param>
    public sealed record Shown(BulkContent Content, string PatientName) : BulkPreviewResult;
    public sealed record Refused(string Reason) : BulkPreviewResult;
}

/// <summary>
/// A composed bulk message as one patient of the audience would get it, rendered by the send's own code
/// (<see cref="BulkComposer"/> with <see cref="BulkComposer.ModelFor"/>, or the invite's renderer), and "Send a test to me".
/// Like the invite and template previews, a preview on screen is not audited; a test that leaves by email is.
/// </summary>
public sealed class BulkPreviewService(
    IDbContextFactory<PortalDbContext> dbFactory,
    BulkComposer composer,
    TemplateRenderer renderer,
    InviteService invites,
    ClinicSettingsService clinic,
    EmailComposer emails,
    EmailOutbox outbox,
    AuditLog audit,
    TimeProvider time)
{
    /// <summary>Tests one staff member may send in <see cref="TestWindow"/>: enough to check a message, too few to mail-bomb anyone.</summary>
    public const int MaxTests = 10;
    public static readonly TimeSpan TestWindow = TimeSpan.FromMinutes(10);

    public async Task<BulkPreviewResult> PreviewAsync(BulkDraft draft, int clientId, StaffActor actor, CancellationToken ct = default)
    {
        if (!BulkSendService.MaySend(actor))
            return new BulkPreviewResult.Refused(BulkSendService.NotAllowed);
        if (!Enum.IsDefined(draft.Channel) || !Enum.IsDefined(draft.Purpose))
            return new BulkPreviewResult.Refused("Choose how the message goes and what it is for.");
        if (BulkMessageRules.PurposeProblem(draft.Purpose, draft.Channel) is { } purposeProblem)
            return new BulkPreviewResult.Refused(purposeProblem);
        if (draft.Channel == BulkChannel.Invite)
            return await InvitePreviewAsync(draft.TemplateId, clientId, actor, ct);
        if ((BulkMessageRules.MessageProblem(draft.Channel, draft.Subject, draft.Body)
             ?? BulkMessageRules.TemplateProblem(renderer, draft.Channel, draft.Subject, draft.Body)) is { } problem)
            return new BulkPreviewResult.Refused(problem);

        var settings = await clinic.GetAsync(ct);
        BulkClientFacts? patient;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var card = db.Clients.Where(c => c.Id == clientId && c.MergedIntoClientId == null);
            patient = (await BulkAudienceService.FactsAsync(db, card, time.GetUtcNow().UtcDateTime, null, ct)).SingleOrDefault();
        }
        if (patient is null)
            return new BulkPreviewResult.Refused(PatientGone);
        // A promotional email's unsubscribe link as the patient sees it, with a sample in place of their personal token.
        var unsubscribe = draft is { Purpose: BulkPurpose.Promotional, Channel: BulkChannel.Email } ? settings.UnsubscribeLink(TemplatePreviewService.SampleToken) : null;
        return await composer.ComposeAsync(draft.Channel, draft.Purpose, draft.Subject, draft.Body!, BulkComposer.ModelFor(patient, settings, actor.DisplayName), settings, unsubscribe) switch
        {
            BulkComposeResult.Composed { Content: var content } => new BulkPreviewResult.Shown(content, patient.Name),
            BulkComposeResult.Failed { Problem: var failed } => new BulkPreviewResult.Refused(failed),
            _ => throw new InvalidOperationException(),
        };
    }

    private async Task<BulkPreviewResult> InvitePreviewAsync(int? templateId, int clientId, StaffActor actor, CancellationToken ct)
    {
        if (templateId is not { } id)
            return new BulkPreviewResult.Refused("Choose the invite template.");
        string? name;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            name = await db.Clients.Where(c => c.Id == clientId && c.MergedIntoClientId == null).Select(c => c.FirstName + " " + c.LastName).SingleOrDefaultAsync(ct);
        if (name is null)
            return new BulkPreviewResult.Refused(PatientGone);
        return await invites.PreviewAsync(clientId, id, actor, ct) switch
        {
            TemplateEmailResult.Rendered { Content: var c } => new BulkPreviewResult.Shown(new BulkContent(c.Subject, c.Text, c.Html), name),
            TemplateEmailResult.Failed { Problem: var problem } => new BulkPreviewResult.Refused(problem),
            _ => throw new InvalidOperationException(),
        };
    }

    private const string PatientGone = "This patient's card no longer exists. Show the audience again.";

    /// <summary>
    /// The message as <paramref name="clientId"/> would get it, to the signed-in staff member's own email address and
    /// nobody else's (read from their account, not from the page). Staff accounts have no mobile number, so a text
    /// message or a call comes as an email too.
    /// </summary>
    public async Task<Outcome> SendTestAsync(BulkDraft draft, int clientId, StaffActor actor, CancellationToken ct = default)
    {
        if (!BulkSendService.MaySend(actor))
            return Outcome.Refuse(BulkSendService.NotAllowed);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await TestsLeftAsync(db, actor, ct) <= 0)
            return TooManyTests;
        var address = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        if (EmailAddressRules.Problem(address) is { } problem)
            return Outcome.Refuse($"Your staff account has no usable email address: {problem}");
        if (await PreviewAsync(draft, clientId, actor, ct) is not BulkPreviewResult.Shown { Content: var content, PatientName: var patient })
            return Outcome.Refuse("Fix the message first: it cannot be written for this patient. See the preview.");

        var (subject, html, text) = content.Html is { } emailHtml
            ? ("[Test] " + content.Subject, emailHtml, content.Text)
            : await AsEmailAsync(draft.Channel, content, patient, ct);
        // Counted again under the staff member's row lock, with the write: two tests sent at the same instant must not
        // both pass the limit on the same count.
        await using (var tx = await WriteLock.BeginAsync<PortalUser>(db, actor.UserId, ct))
        {
            if (await TestsLeftAsync(db, actor, ct) <= 0)
                return TooManyTests;
            outbox.Enqueue(db, new OutgoingEmail(address!.Trim(), actor.DisplayName, subject, html, text, "bulk-test"));
            // The channel and the send's name; never the message, which may say more than an audit row should.
            audit.Add(db, actor, AuditActions.BulkTest, clientId, AuditOutcome.Succeeded, $"{draft.Channel} test of '{Bounded(draft.Title)}' to their own email");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        outbox.WakeDispatcher();
        return Outcome.Ok;
    }

    private static Outcome TooManyTests =>
        Outcome.Refuse($"You have sent {MaxTests} tests in the last {TestWindow.TotalMinutes:0} minutes. Wait a few minutes before the next one.");

    private async Task<int> TestsLeftAsync(PortalDbContext db, StaffActor actor, CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime - TestWindow;
        return MaxTests - await db.AuditEvents.CountAsync(a => a.Action == AuditActions.BulkTest && a.StaffUserId == actor.UserId && a.AtUtc > since, ct);
    }

    /// <summary>A portal message, a text or a call's words, in an email that says what it stands for.</summary>
    private async Task<(string Subject, string Html, string Text)> AsEmailAsync(BulkChannel channel, BulkContent content, string patient, CancellationToken ct)
    {
        var what = channel switch
        {
            BulkChannel.Sms => "the text message",
            BulkChannel.Voice => "the words of the call",
            _ => "the portal message",
        };
        var intro = $"A test of {what} {patient} would get:";
        var subject = "[Test] " + (content.Subject ?? (channel == BulkChannel.Sms ? "Text message" : "Voice call"));
        var html = $"<p><em>{WebUtility.HtmlEncode(intro)}</em></p><p style=\"white-space:pre-wrap\">{WebUtility.HtmlEncode(content.Text)}</p>";
        var composed = await emails.ComposeAsync(await clinic.GetAsync(ct), subject, html, $"{intro}\n\n{content.Text}");
        return (subject, composed.Html, composed.Text);
    }

    private static string Bounded(string? title) => title is null ? "" : title.Length <= BulkSend.MaxTitleLength ? title.Trim() : title[..BulkSend.MaxTitleLength];
}
