using System.Text;
using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.IntakeForms.Reviewing;

/// <summary>
/// What staff see of submitted forms: the client card's tab, a response, the comparison with an earlier one, the
/// clinic's Forms to review list, Mark reviewed, and the downloads. All staff may look; each look at a response is
/// audited as a look at the record (ViewAudit). Every query names the client too, so a response id of another client
/// finds nothing.
/// </summary>
public sealed class FormReviewService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ViewAudit views,
    ClinicSettingsService clinic, TimeProvider time)
{
    public const int ReviewPageSize = 25;

    /// <summary>The tab lists at most this many sent forms and responses (newest first) and says when there are more.</summary>
    public const int MaxListed = 200;

    public const string MayNotReview = "Only practitioners and admins mark a response reviewed: it says a clinician has read the answers.";

    public async Task<ClientFormsView> ClientFormsAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sent = await (
                from a in db.FormAssignments.AsNoTracking().Where(a => a.ClientId == clientId)
                join v in db.IntakeFormVersions on a.IntakeFormVersionId equals v.Id
                join ap in db.Appointments on a.AppointmentId equals ap.Id into appointments
                from ap in appointments.DefaultIfEmpty()
                join rule in db.FormRules on a.FormRuleId equals rule.Id into rules
                from rule in rules.DefaultIfEmpty()
                orderby a.SentAtUtc descending, a.Id descending
                select new
                {
                    a.Id, v.Title, v.Number, a.Status, a.SentAtUtc, a.SentByName, a.DueAtUtc, a.DraftSavedAtUtc, a.SubmittedAtUtc, a.FormResponseId,
                    AppointmentStartUtc = ap == null ? (DateTime?)null : ap.StartUtc,
                    AppointmentTypeName = ap == null ? null : ap.AppointmentType.Name,
                    RuleFormTitle = rule == null ? null : db.IntakeForms.Where(f => f.Id == rule.IntakeFormId).Select(f => f.Title).FirstOrDefault(),
                    RuleDays = rule == null ? (int?)null : rule.DaysBefore,
                    RuleTypeName = rule == null ? null : db.AppointmentTypes.Where(t => t.Id == rule.AppointmentTypeId).Select(t => t.Name).FirstOrDefault(),
                })
            .Take(MaxListed + 1).ToListAsync(ct);
        var responses = await Summaries(db, db.FormResponses.Where(r => r.ClientId == clientId))
            .OrderByDescending(r => r.SubmittedAtUtc).ThenByDescending(r => r.Id).Take(MaxListed + 1).ToListAsync(ct);
        return new ClientFormsView(
            [.. sent.Take(MaxListed).Select(s => new SentFormSummary(s.Id, s.Title, s.Number, s.Status, s.SentAtUtc, s.SentByName, s.DueAtUtc,
                s.DraftSavedAtUtc, s.SubmittedAtUtc, s.FormResponseId, s.AppointmentStartUtc, s.AppointmentTypeName,
                s.RuleDays is { } days ? RuleText(s.RuleFormTitle ?? "this form", days, s.RuleTypeName ?? "an appointment") : null))],
            [.. responses.Take(MaxListed).Select(ToSummary)],
            sent.Count > MaxListed || responses.Count > MaxListed);
    }

    /// <summary>"Sent by the rule: General health history 3 days before New patient assessment".</summary>
    public static string RuleText(string formTitle, int daysBefore, string appointmentType) =>
        $"Sent by the rule: {Rules.FormRuleText.Short(formTitle, daysBefore, appointmentType)}";

    /// <summary>The clinic's submitted, unreviewed responses, oldest first (the longest-waiting patient first).</summary>
    public async Task<ReviewQueuePage> ToReviewAsync(int page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waiting = db.FormResponses.Where(r => r.ReviewedAtUtc == null);
        var total = await waiting.CountAsync(ct);
        var pages = Math.Max(1, (total + ReviewPageSize - 1) / ReviewPageSize);
        page = Math.Clamp(page, 1, pages);
        var rows = await Summaries(db, waiting).OrderBy(r => r.SubmittedAtUtc).ThenBy(r => r.Id)
            .Skip((page - 1) * ReviewPageSize).Take(ReviewPageSize).ToListAsync(ct);
        return new ReviewQueuePage([.. rows.Select(ToSummary)], total, page, ReviewPageSize);
    }

    /// <summary>For the menu's badge: counts no further than <paramref name="cap"/>.</summary>
    public async Task<int> CountToReviewAsync(int cap = 99, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.FormResponses.Where(r => r.ReviewedAtUtc == null).Take(cap + 1).CountAsync(ct);
    }

    /// <summary>A response with its rows; audited as a look at the client's record (the page records it once per open).</summary>
    public async Task<ResponseView?> ViewAsync(int clientId, int responseId, StaffActor viewer, string? how = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await ReadAsync(db, clientId, responseId, ct);
        if (view is not null)
            await views.RecordAsync(db, viewer, AuditActions.FormResponseView, clientId, $"Response {responseId}{how}", ct);
        return view;
    }

    /// <summary>The same, unaudited: a page's second render of a response it has already recorded.</summary>
    public async Task<ResponseView?> GetAsync(int clientId, int responseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ReadAsync(db, clientId, responseId, ct);
    }

    private async Task<ResponseView?> ReadAsync(PortalDbContext db, int clientId, int responseId, CancellationToken ct)
    {
        var loaded = await LoadAsync(db, clientId, responseId, ct);
        if (loaded is null)
            return null;
        var (summary, definition, answers, row) = loaded;
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        var names = await AttachmentNamesAsync(db, row.FormAssignmentId, ct);
        var previous = await PreviousAsync(db, row, ct);
        return new ResponseView(summary, FormAnswerDisplay.Rows(definition, answers, zone, id => names.GetValueOrDefault(id)),
            row.HasPdf, row.PdfSha256, previous);
    }

    /// <summary>
    /// This response beside another of the same client and form: <paramref name="withId"/>, or by default the one
    /// submitted just before it. The earlier one is always the left column.
    /// </summary>
    /// <param name="viewer">Recorded in the audit log; null for a page's second render of what it has already recorded.</param>
    public async Task<CompareResult> CompareAsync(int clientId, int responseId, int? withId, StaffActor? viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var loaded = await LoadAsync(db, clientId, responseId, ct);
        if (loaded is null)
            return new CompareResult.NotFound();
        var self = loaded;
        var otherId = withId ?? await PreviousAsync(db, self.Row, ct);
        if (otherId is null)
            return new CompareResult.Refused(self.Summary, "This is the first response to this form: there is no earlier one to compare it with.");
        if (otherId == responseId)
            return new CompareResult.Refused(self.Summary, "Choose another response to compare this one with.");
        // Another client's response id finds nothing, exactly like an id that does not exist.
        if (await LoadAsync(db, clientId, otherId.Value, ct) is not { } other)
            return new CompareResult.NotFound();
        if (other.Summary.IntakeFormId != self.Summary.IntakeFormId)
            return new CompareResult.Refused(self.Summary, "Only responses to the same form can be compared.");
        var (earlier, later) = other.Summary.SubmittedAtUtc < self.Summary.SubmittedAtUtc
            || (other.Summary.SubmittedAtUtc == self.Summary.SubmittedAtUtc && otherId < responseId) ? (other, self) : (self, other);
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        var names = await AttachmentNamesAsync(db, earlier.Row.FormAssignmentId, ct);
        foreach (var (id, name) in await AttachmentNamesAsync(db, later.Row.FormAssignmentId, ct))
            names[id] = name;
        var comparison = ResponseComparison.Compare(earlier.Definition, earlier.Answers, later.Definition, later.Answers, zone, id => names.GetValueOrDefault(id));
        if (viewer is not null)
            await views.RecordAsync(db, viewer, AuditActions.FormResponseView, clientId, $"Response {responseId} compared with response {otherId}", ct);
        var choices = await db.FormResponses.Where(r => r.ClientId == clientId && r.IntakeFormId == self.Summary.IntakeFormId && r.Id != responseId)
            .OrderByDescending(r => r.SubmittedAtUtc).ThenByDescending(r => r.Id)
            .Join(db.IntakeFormVersions, r => r.IntakeFormVersionId, v => v.Id, (r, v) => new ResponseChoice(r.Id, r.SubmittedAtUtc, v.Number))
            .ToListAsync(ct);
        return new CompareResult.Compared(earlier.Summary, later.Summary, responseId, comparison, choices);
    }

    /// <summary>
    /// Records who reviewed the response and when. One conditional update, so of two people marking at once the first
    /// stands and the second is told who it was; marking a reviewed response again changes nothing.
    /// </summary>
    public async Task<ReviewMarkResult> MarkReviewedAsync(int clientId, int responseId, StaffActor actor, CancellationToken ct = default)
    {
        if (!actor.MayWriteChartNotes)
            return new ReviewMarkResult.Refused(MayNotReview);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var marked = await db.FormResponses.Where(r => r.Id == responseId && r.ClientId == clientId && r.ReviewedAtUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ReviewedAtUtc, now).SetProperty(r => r.ReviewedByName, actor.DisplayName), ct);
            if (marked == 1)
            {
                audit.Add(db, actor, AuditActions.FormResponseReview, clientId, AuditOutcome.Succeeded, $"Response {responseId}");
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return new ReviewMarkResult.Marked(now, actor.DisplayName);
            }
        }
        catch (Exception ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return new ReviewMarkResult.Refused(DatabaseFailures.Message);
        }
        var existing = await db.FormResponses.AsNoTracking().Where(r => r.Id == responseId && r.ClientId == clientId)
            .Select(r => new { r.ReviewedAtUtc, r.ReviewedByName }).SingleOrDefaultAsync(ct);
        return existing?.ReviewedAtUtc is { } at
            ? new ReviewMarkResult.AlreadyReviewed(at, existing.ReviewedByName ?? "")
            : new ReviewMarkResult.NotFound();
    }

    /// <summary>The PDF made at submission, byte for byte as stored; null when there is none. Audited with its SHA-256.</summary>
    public async Task<ResponseDownload?> PdfAsync(int clientId, int responseId, StaffActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pdf = await db.FormResponses.AsNoTracking().Where(r => r.Id == responseId && r.ClientId == clientId && r.PdfBytes != null)
            .Select(r => new { r.PdfBytes, r.PdfSha256, r.SubmittedAtUtc, Title = db.IntakeFormVersions.Where(v => v.Id == r.IntakeFormVersionId).Select(v => v.Title).First() })
            .SingleOrDefaultAsync(ct);
        if (pdf is null)
            return null;
        await views.RecordAsync(db, actor, AuditActions.FormResponseDownload, clientId, $"Response {responseId} PDF, SHA-256 {pdf.PdfSha256}", ct);
        return new ResponseDownload(pdf.PdfBytes!, "application/pdf", FileName(pdf.Title, pdf.SubmittedAtUtc, responseId, "pdf"));
    }

    /// <summary>The response as a FHIR R4 QuestionnaireResponse, for another system. Audited.</summary>
    public async Task<ResponseDownload?> FhirAsync(int clientId, int responseId, StaffActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await LoadAsync(db, clientId, responseId, ct) is not { } loaded)
            return null;
        var json = FhirQuestionnaireMapper.ToQuestionnaireResponseJson(loaded.Definition, loaded.Answers, loaded.Summary.SubmittedAtUtc);
        await views.RecordAsync(db, actor, AuditActions.FormResponseDownload, clientId, $"Response {responseId} as FHIR QuestionnaireResponse", ct);
        return new ResponseDownload(Encoding.UTF8.GetBytes(json), "application/fhir+json",
            FileName(loaded.Summary.FormTitle, loaded.Summary.SubmittedAtUtc, responseId, "json"));
    }

    /// <summary>"phq-9-2026-03-07-response-12.pdf": letters, digits and hyphens only, and no patient's name.</summary>
    public static string FileName(string formTitle, DateTime submittedAtUtc, int responseId, string extension)
    {
        var slug = new StringBuilder();
        foreach (var c in formTitle.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
                slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
            if (slug.Length >= 40)
                break;
        }
        var name = slug.ToString().Trim('-');
        return $"{(name.Length == 0 ? "form" : name)}-{submittedAtUtc:yyyy-MM-dd}-response-{responseId}.{extension}";
    }

    private sealed record Loaded(ResponseSummary Summary, FormDefinition Definition, FormAnswers Answers, SummaryRow Row);

    private static async Task<Loaded?> LoadAsync(PortalDbContext db, int clientId, int responseId, CancellationToken ct)
    {
        var row = await Summaries(db, db.FormResponses.Where(r => r.Id == responseId && r.ClientId == clientId), withAnswers: true).SingleOrDefaultAsync(ct);
        if (row is null)
            return null;
        // Both were checked when written; a row damaged since reads as a form with no questions rather than an error page.
        var definition = FormJson.ReadDefinition(row.DefinitionJson) is JsonRead<FormDefinition>.Read { Value: var d } ? d : new FormDefinition(row.FormTitle, null, []);
        var answers = FormAnswers.FromJson(row.AnswersJson) is JsonRead<FormAnswers>.Read { Value: var a } ? a : FormAnswers.Empty;
        return new Loaded(ToSummary(row, answers), definition, answers, row);
    }

    private static Task<int?> PreviousAsync(PortalDbContext db, SummaryRow row, CancellationToken ct) =>
        db.FormResponses.Where(r => r.ClientId == row.ClientId && r.IntakeFormId == row.IntakeFormId
                && (r.SubmittedAtUtc < row.SubmittedAtUtc || (r.SubmittedAtUtc == row.SubmittedAtUtc && r.Id < row.Id)))
            .OrderByDescending(r => r.SubmittedAtUtc).ThenByDescending(r => r.Id).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);

    private static async Task<Dictionary<int, string>> AttachmentNamesAsync(PortalDbContext db, int? assignmentId, CancellationToken ct) =>
        assignmentId is null ? [] : await db.FormAttachments.Where(f => f.FormAssignmentId == assignmentId).ToDictionaryAsync(f => f.Id, f => f.FileName, ct);

    /// <summary>A row per response with its version and client; answers only where needed (PHQ-9's band, or a whole response).</summary>
    private static IQueryable<SummaryRow> Summaries(PortalDbContext db, IQueryable<FormResponse> responses, bool withAnswers = false) =>
        from r in responses.AsNoTracking()
        join v in db.IntakeFormVersions on r.IntakeFormVersionId equals v.Id
        join c in db.Clients on r.ClientId equals c.Id
        select new SummaryRow
        {
            Id = r.Id, ClientId = r.ClientId, ClientName = c.FirstName + " " + c.LastName, IntakeFormId = r.IntakeFormId, FormTitle = v.Title,
            VersionNumber = v.Number, SubmittedAtUtc = r.SubmittedAtUtc, FilledByName = r.FilledByName, FilledByCaregiver = r.FilledForClientName != null,
            Score = r.Score, ReviewedAtUtc = r.ReviewedAtUtc, ReviewedByName = r.ReviewedByName, FormAssignmentId = r.FormAssignmentId,
            HasPdf = r.PdfBytes != null, PdfSha256 = r.PdfSha256,
            // A scored form's answers say whether it is a complete PHQ-9 (and so its band); unscored ones are not read.
            AnswersJson = withAnswers || r.Score != null ? r.AnswersJson : null,
            DefinitionJson = withAnswers ? v.DefinitionJson : null,
        };

    private static ResponseSummary ToSummary(SummaryRow row) =>
        ToSummary(row, row.AnswersJson is null ? null : FormAnswers.FromJson(row.AnswersJson) is JsonRead<FormAnswers>.Read { Value: var a } ? a : null);

    private static ResponseSummary ToSummary(SummaryRow row, FormAnswers? answers) =>
        new(row.Id, row.ClientId, row.ClientName, row.IntakeFormId, row.FormTitle, row.VersionNumber, row.SubmittedAtUtc, row.FilledByName,
            row.FilledByCaregiver, row.Score, answers is null ? null : PhqScore.From(answers), row.ReviewedAtUtc, row.ReviewedByName);

    private sealed class SummaryRow
    {
        public int Id { get; init; }
        public int ClientId { get; init; }
        public string ClientName { get; init; } = "";
        public int IntakeFormId { get; init; }
        public string FormTitle { get; init; } = "";
        public int VersionNumber { get; init; }
        public DateTime SubmittedAtUtc { get; init; }
        public string FilledByName { get; init; } = "";
        public bool FilledByCaregiver { get; init; }
        public decimal? Score { get; init; }
        public DateTime? ReviewedAtUtc { get; init; }
        public string? ReviewedByName { get; init; }
        public int? FormAssignmentId { get; init; }
        public bool HasPdf { get; init; }
        public string? PdfSha256 { get; init; }
        public string? AnswersJson { get; init; }
        public string? DefinitionJson { get; init; }
    }
}
