using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Components.Shared;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.Messaging;
using PortalApp.Features.Templates;

namespace PortalApp.Features.IntakeForms.Sending;

/// <summary>
/// Sends published intake forms to a client: one secure portal message (written from an Intake form request template,
/// with the usual notice email) and one <see cref="FormAssignment"/> per form, committed together. Used by staff from the
/// Patient messaging tab and by the rules-by-appointment-type dispatcher (<see cref="FormSender.Rule"/>); every check is
/// made here, on the server, and every refusal is audited.
/// </summary>
public sealed class IntakeFormSender(
    IDbContextFactory<PortalDbContext> dbFactory, StaffMessagingService messaging, TemplateRenderer renderer, TemplateService templates,
    ClinicSettingsService clinic, ClinicClock clock, AuditLog audit, ILogger<IntakeFormSender> logger)
{
    /// <summary>What the Send intake form panel offers for this client: published forms, upcoming appointments, templates.</summary>
    public async Task<IntakeFormSendOptions> GetOptionsAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        var forms = await LatestVersions(db).Where(v => db.IntakeForms.Any(f => f.Id == v.IntakeFormId && f.ArchivedAtUtc == null))
            .Select(v => new SendableForm(v.IntakeFormId, v.Title, v.Number)).ToListAsync(ct);
        var appointments = await Upcoming(db, clock.UtcNow).Where(a => a.ClientId == clientId).OrderBy(a => a.StartUtc).Take(50)
            .Select(a => new { a.Id, a.StartUtc, Type = a.AppointmentType.Name, Practitioner = a.Practitioner.DisplayName }).ToListAsync(ct);
        return new IntakeFormSendOptions(
            forms.OrderBy(f => f.Title, StringComparer.CurrentCultureIgnoreCase).ToList(),
            appointments.Select(a => new LinkableAppointment(a.Id, a.StartUtc, $"{Dates.FormatClinicTime(a.StartUtc, zone)} · {a.Type} with {a.Practitioner}")).ToList(),
            await templates.ListAsync(TemplateKind.IntakeFormRequest, ct), zone);
    }

    /// <summary>The message exactly as <see cref="SendAsync"/> would send it now, or why it would not be sent. Changes nothing.</summary>
    public async Task<IntakeFormPreviewResult> PreviewAsync(SendIntakeFormRequest request, FormSender sender, CancellationToken ct = default)
    {
        EnsureMaySend(sender);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (ready, problem) = await PrepareAsync(db, request, sender, ct);
        return ready is null
            ? new IntakeFormPreviewResult.NotSendable(problem!.Result)
            : new IntakeFormPreviewResult.Ready(ready.Subject, ready.Body, ready.Versions.Select(v => v.Title).ToList(), ready.Appointment?.StartUtc);
    }

    /// <summary>
    /// Sends the forms, or refuses with why. Safe to call twice at once for the same client (a double click, the
    /// dispatcher on two servers): the client's row is held while checking, so the second call finds the forms already
    /// waiting and is refused. Never throws for the patient's or the request's state; storage problems are a refusal.
    /// </summary>
    public async Task<IntakeFormSendResult> SendAsync(SendIntakeFormRequest request, FormSender sender, CancellationToken ct = default)
    {
        EnsureMaySend(sender);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            await using var tx = await WriteLock.BeginAsync<Client>(db, request.ClientId, ct);
            var (ready, problem) = await PrepareAsync(db, request, sender, ct);
            if (ready is null)
            {
                if (problem!.ClientExists)
                {
                    audit.Add(db, sender.AuditActor, AuditActions.IntakeFormSendRefused, request.ClientId, AuditOutcome.Refused, Describe(sender, problem.AuditDetail));
                    await db.SaveChangesAsync(ct);
                    await tx.CommitAsync(ct);
                }
                return problem.Result;
            }

            var conversation = await messaging.AddConversationAsync(db, ready.Client, ready.Readers, ready.Subject, ready.Body, allowReplies: true, sender.DisplayName, ct);
            await db.SaveChangesAsync(ct); // the conversation's id, for the forms it carries
            var now = clock.UtcNow;
            var zone = (await clinic.GetAsync(ct)).TimeZone;
            var assignments = ready.Versions.Select(v => db.FormAssignments.Add(new FormAssignment
            {
                ClientId = ready.Client.Id, IntakeFormId = v.IntakeFormId, IntakeFormVersionId = v.Id, AppointmentId = ready.Appointment?.Id,
                FormRuleId = sender.FormRuleId, Status = FormAssignmentStatus.ToDo, DueAtUtc = ready.Appointment?.StartUtc, SentAtUtc = now,
                SentByName = sender.DisplayName, ConversationId = conversation.Id,
                NextReminderAtUtc = FormReminderSchedule.NextAfter(ready.Appointment?.StartUtc, now, zone),
            }).Entity).ToList();
            // Which versions went, not what they ask.
            audit.Add(db, sender.AuditActor, AuditActions.IntakeFormSend, ready.Client.Id, AuditOutcome.Succeeded, Describe(sender,
                $"Forms {string.Join(", ", ready.Versions.Select(v => $"{v.IntakeFormId} (version {v.Number})"))}; " +
                $"{(ready.Appointment is { } a ? $"appointment {a.Id}" : "no appointment")}; conversation {conversation.Id}"));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            messaging.Committed(ready.Client.Id);
            logger.LogInformation("Intake forms sent to client {ClientId} in conversation {ConversationId}", ready.Client.Id, conversation.Id);
            return new IntakeFormSendResult.Sent(conversation.Id, assignments.Select(x => x.Id).ToList());
        }
        catch (Exception ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            logger.LogError("Intake forms for client {ClientId} not sent: storage problem ({ErrorType})", request.ClientId, ex.GetType().Name);
            return new IntakeFormSendResult.Refused(DatabaseFailures.Message);
        }
    }

    private sealed record Ready(Client Client, IReadOnlyList<PortalReader> Readers, IReadOnlyList<IntakeFormVersion> Versions, Appointment? Appointment,
        string Subject, string Body);

    private sealed record Problem(IntakeFormSendResult Result, string AuditDetail, bool ClientExists = true);

    /// <summary>Every check, in the order a person fixes things: the client, then what was picked, then what is already waiting.</summary>
    private async Task<(Ready? Ready, Problem? Problem)> PrepareAsync(PortalDbContext db, SendIntakeFormRequest request, FormSender sender, CancellationToken ct)
    {
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.ClientId, ct);
        if (client is null)
            return (null, new Problem(new IntakeFormSendResult.Refused(IntakeFormSendMessages.ClientGone), "", ClientExists: false));
        var name = $"{client.FirstName} {client.LastName}";
        var today = await clock.TodayAsync(ct);
        if (client.IsEndedOn(today))
            return (null, new Problem(new IntakeFormSendResult.Refused(IntakeFormSendMessages.Ended(name)), "Client end-dated"));
        var readers = await PortalReaders.ForPatientAsync(db, client.Id, today, ct);
        if (readers.Count == 0)
            return (null, new Problem(new IntakeFormSendResult.Refused(IntakeFormSendMessages.NoPortalAccount(name)), "No portal account"));

        var formIds = (request.FormIds ?? []).Distinct().ToList();
        if (formIds.Count == 0)
            return (null, Invalid("No form picked", IntakeFormSendMessages.NoForm));
        if (formIds.Count > IntakeFormSendMessages.MaxFormsAtOnce)
            return (null, Invalid($"{formIds.Count} forms at once", IntakeFormSendMessages.TooMany(formIds.Count)));

        var problems = new List<string>();
        var forms = await db.IntakeForms.AsNoTracking().Where(f => formIds.Contains(f.Id)).ToListAsync(ct);
        var latest = await LatestVersions(db).Where(v => formIds.Contains(v.IntakeFormId)).ToListAsync(ct);
        if (forms.Count < formIds.Count)
            problems.Add(IntakeFormSendMessages.FormGone);
        problems.AddRange(forms.Where(f => f.ArchivedAtUtc is not null).Select(f => IntakeFormSendMessages.Archived(f.Title)));
        problems.AddRange(forms.Where(f => f.ArchivedAtUtc is null && latest.All(v => v.IntakeFormId != f.Id)).Select(f => IntakeFormSendMessages.NeverPublished(f.Title)));

        Appointment? appointment = null;
        if (request.AppointmentId is { } appointmentId)
        {
            appointment = await db.Appointments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == appointmentId, ct);
            if (appointment is null || appointment.ClientId != client.Id)
                problems.Add(IntakeFormSendMessages.NotTheirAppointment(name));
            else if (!await Upcoming(db, clock.UtcNow).AnyAsync(a => a.Id == appointmentId, ct))
                problems.Add(IntakeFormSendMessages.NotUpcoming);
        }

        var template = await db.MessageTemplates.AsNoTracking().Where(t => t.Kind == TemplateKind.IntakeFormRequest)
            .Where(t => request.TemplateId == null ? t.IsDefault : t.Id == request.TemplateId).FirstOrDefaultAsync(ct);
        if (template is null)
            problems.Add(request.TemplateId is null ? IntakeFormSendMessages.NoTemplate : IntakeFormSendMessages.TemplateGone);
        if (problems.Count > 0)
            return (null, Invalid($"{problems.Count} problem(s) with forms {string.Join(", ", formIds)}", [.. problems]));

        // In the order staff picked them.
        var versions = formIds.Select(id => latest.Single(v => v.IntakeFormId == id)).ToList();
        var waiting = await db.FormAssignments.AsNoTracking()
            .Where(a => a.ClientId == client.Id && formIds.Contains(a.IntakeFormId) && a.AppointmentId == request.AppointmentId
                && (a.Status == FormAssignmentStatus.ToDo || a.Status == FormAssignmentStatus.Draft))
            .Select(a => a.IntakeFormId).Distinct().ToListAsync(ct);
        if (waiting.Count > 0)
            return (null, new Problem(new IntakeFormSendResult.Refused(IntakeFormSendMessages.AlreadyWaiting(name,
                versions.Where(v => waiting.Contains(v.IntakeFormId)).Select(v => v.Title).ToList(), appointment is not null)),
                $"Already waiting: forms {string.Join(", ", waiting.Order())}"));

        // A rule sends its form once per appointment, whatever became of it (submitted, withdrawn): the dispatcher may
        // see the same booking again after a reschedule or on another instance.
        if (sender.FormRuleId is { } ruleId && appointment is not null
            && await db.FormAssignments.AnyAsync(a => a.FormRuleId == ruleId && a.AppointmentId == appointment.Id, ct))
            return (null, new Problem(new IntakeFormSendResult.Refused(IntakeFormSendMessages.RuleAlreadySent), $"Rule {ruleId} already sent for appointment {appointment.Id}"));

        var settings = await clinic.GetAsync(ct);
        var model = TemplateEmails.ModelFor(client.FirstName, client.PreferredName, client.LastName, settings) with
        {
            StaffName = sender.Signature,
            FormTitles = InWords(versions.Select(v => v.Title).ToList()),
            AppointmentWhen = appointment is null ? "" : Dates.FormatDayAndTime(appointment.StartUtc, settings.TimeZone),
            FormsLink = settings.PatientFormsLink,
        };
        if (await renderer.RenderAsync(template!.Subject, template.Body, model) is not TemplateRenderResult.Rendered { Template: var message })
            return (null, Invalid($"Template {template.Id} cannot be rendered", "The template cannot be used: an admin must fix it in Templates."));
        if ((MessagingRules.Subject(message.Subject) ?? MessagingRules.Body(message.BodyText)) is { } tooLong)
            return (null, Invalid($"Template {template.Id} renders too long", $"The message from template “{template.Name}” cannot be sent: {tooLong}"));
        return (new Ready(client, readers, versions, appointment, message.Subject, message.BodyText), null);
    }

    /// <summary>Each form's latest published version: what is sent.</summary>
    private static IQueryable<IntakeFormVersion> LatestVersions(PortalDbContext db) =>
        db.IntakeFormVersions.AsNoTracking().Where(v => v.Number == db.IntakeFormVersions.Where(w => w.IntakeFormId == v.IntakeFormId).Max(w => w.Number));

    /// <summary>An appointment forms can be linked to: not cancelled, and not yet started.</summary>
    private static IQueryable<Appointment> Upcoming(PortalDbContext db, DateTime nowUtc) =>
        db.Appointments.AsNoTracking().Where(a => a.Status != AppointmentStatus.Cancelled && a.StartUtc > nowUtc);

    private static Problem Invalid(string auditDetail, params string[] problems) => new(new IntakeFormSendResult.Invalid(problems), auditDetail);

    private static string Describe(FormSender sender, string detail) => sender.FormRuleId is { } rule ? $"By rule {rule}: {detail}" : detail;

    /// <summary>"A", "A and B", "A, B and C".</summary>
    internal static string InWords(IReadOnlyList<string> titles) =>
        titles.Count <= 1 ? string.Concat(titles) : $"{string.Join(", ", titles.Take(titles.Count - 1))} and {titles[^1]}";

    private static void EnsureMaySend(FormSender sender)
    {
        // Every staff role sends forms; a principal with none is a programming error, not a patient's state.
        if (sender is FormSender.StaffMember { Staff.Roles: var roles } && !roles.Any(StaffRoles.All.Contains))
            throw new UnauthorizedAccessException("Only clinic staff can send intake forms.");
    }
}
