using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.IntakeForms.Sending;
using PortalApp.Features.Messaging;

namespace PortalApp.Features.IntakeForms.Rules;

/// <summary>What one pass of the rules did.</summary>
public sealed record FormRulePass(int Sent, int Moved, int Withdrawn);

/// <summary>
/// Applies the rules by appointment type to the schedule as it is now, so bookings, reschedules, cancellations and imports
/// are all handled the same way and a pass missed while the server was down is made up by the next one:
/// <list type="bullet">
/// <item>a booked appointment whose rule's day has come gets the form (at 08:00 clinic time that many days before, or
/// at once when booked later than that), unless the patient completed it within the rule's months, already has it to
/// do, is end-dated or has no portal account;</item>
/// <item>a rescheduled appointment moves its unfinished forms' due date and reminders;</item>
/// <item>a cancelled appointment withdraws the forms its rules sent that the patient has not started.</item>
/// </list>
/// A rule sends once per appointment: a unique index holds that across instances, whatever the timing.
/// </summary>
public sealed class FormRuleDispatcher(
    IDbContextFactory<PortalDbContext> dbFactory, IntakeFormSender sender, ClinicSettingsService clinic, ClinicClock clock, AuditLog audit,
    ILogger<FormRuleDispatcher> logger)
{
    /// <summary>The hour of the clinic's day a rule's form goes out, so no email arrives in the night.</summary>
    public static readonly TimeOnly SendAt = new(8, 0);

    /// <summary>How many sends one pass makes at most; the next pass continues.</summary>
    public const int MaxSendsPerPass = 200;

    public async Task<FormRulePass> ApplyAsync(CancellationToken ct = default)
    {
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        var withdrawn = await WithdrawForCancelledAsync(ct);
        var moved = await FollowReschedulesAsync(zone, ct);
        var sent = await SendDueAsync(zone, ct);
        return new FormRulePass(sent, moved, withdrawn);
    }

    /// <summary>When a rule sends its form for an appointment starting at <paramref name="startUtc"/>.</summary>
    public static DateTime SendTime(DateTime startUtc, int daysBefore, TimeZoneInfo zone)
    {
        var day = DateOnly.FromDateTime(ClinicClock.ToClinicTime(startUtc, zone)).AddDays(-daysBefore);
        var at = ClinicTime.ToUtc(day.ToDateTime(SendAt), zone) is ClinicTime.Conversion.Ok ok ? ok.Utc : startUtc;
        return at < startUtc ? at : startUtc;
    }

    private async Task<int> WithdrawForCancelledAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.FormAssignments
            .Where(a => a.FormRuleId != null && a.Status == FormAssignmentStatus.ToDo && a.AppointmentId != null
                && db.Appointments.Any(ap => ap.Id == a.AppointmentId && ap.Status == AppointmentStatus.Cancelled))
            .OrderBy(a => a.Id).Take(MaxSendsPerPass).ToListAsync(ct);
        var withdrawn = 0;
        foreach (var row in rows)
        {
            row.Status = FormAssignmentStatus.Withdrawn;
            row.NextReminderAtUtc = null;
            row.Version++; // a patient saving a first draft at this moment wins: the form stays theirs
            audit.Add(db, null, AuditActions.IntakeFormWithdraw, row.ClientId, AuditOutcome.Succeeded,
                $"Form {row.IntakeFormId} (assignment {row.Id}) withdrawn: appointment {row.AppointmentId} cancelled; rule {row.FormRuleId}");
            try
            {
                await db.SaveChangesAsync(ct);
                withdrawn++;
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
            }
        }
        return withdrawn;
    }

    private async Task<int> FollowReschedulesAsync(TimeZoneInfo zone, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.UtcNow;
        var rows = await (from a in db.FormAssignments
                          join ap in db.Appointments on a.AppointmentId equals ap.Id
                          where (a.Status == FormAssignmentStatus.ToDo || a.Status == FormAssignmentStatus.Draft)
                                && ap.Status == AppointmentStatus.Booked && a.DueAtUtc != ap.StartUtc
                          orderby a.Id
                          select new { Assignment = a, ap.StartUtc }).Take(MaxSendsPerPass).ToListAsync(ct);
        var moved = 0;
        foreach (var row in rows)
        {
            // No Version bump: a patient's autosave at this moment must not be refused for a date they never saw change.
            row.Assignment.DueAtUtc = row.StartUtc;
            row.Assignment.NextReminderAtUtc = FormReminderSchedule.NextAfter(row.StartUtc, now, zone);
            try
            {
                await db.SaveChangesAsync(ct);
                moved++;
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear(); // the patient submitted or saved meanwhile; the next pass looks again
            }
        }
        return moved;
    }

    private async Task<int> SendDueAsync(TimeZoneInfo zone, CancellationToken ct)
    {
        var candidates = await CandidatesAsync(zone, ct);
        var sent = 0;
        foreach (var c in candidates)
        {
            var result = await sender.SendAsync(new SendIntakeFormRequest(c.ClientId, [c.IntakeFormId], c.AppointmentId),
                new FormSender.Rule(c.RuleId, c.Description), ct);
            if (result is IntakeFormSendResult.Sent)
                sent++;
            else
                logger.LogInformation("Rule {RuleId} did not send its form for appointment {AppointmentId}: {Outcome}", c.RuleId, c.AppointmentId, result.GetType().Name);
        }
        return sent;
    }

    private sealed record Candidate(int RuleId, string Description, int IntakeFormId, int AppointmentId, int ClientId);

    /// <summary>
    /// Due sends the sender would accept. The checks it would refuse on (end-dated, no portal account, already waiting)
    /// are made here first, so a patient who cannot get the form costs no refusal in the audit log on every pass.
    /// </summary>
    private async Task<List<Candidate>> CandidatesAsync(TimeZoneInfo zone, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.UtcNow;
        var today = await clock.TodayAsync(ct);
        var horizon = now.AddDays(FormRule.MaxDaysBefore + 1);
        var rows = await (from r in db.FormRules.AsNoTracking()
                          where r.IsActive
                          join f in db.IntakeForms on r.IntakeFormId equals f.Id
                          where f.ArchivedAtUtc == null
                          join ap in db.Appointments on r.AppointmentTypeId equals ap.AppointmentTypeId
                          where ap.Status == AppointmentStatus.Booked && ap.StartUtc > now && ap.StartUtc <= horizon
                                && !db.FormAssignments.Any(a => a.AppointmentId == ap.Id && a.FormRuleId == r.Id)
                          orderby ap.StartUtc, ap.Id, r.Id
                          select new
                          {
                              Rule = r, FormTitle = f.Title, TypeName = ap.AppointmentType.Name, AppointmentId = ap.Id, ap.StartUtc, ap.ClientId,
                          }).ToListAsync(ct);
        var candidates = new List<Candidate>();
        foreach (var row in rows.Where(r => SendTime(r.StartUtc, r.Rule.DaysBefore, zone) <= now))
        {
            if (candidates.Count == MaxSendsPerPass)
                break;
            var r = row.Rule;
            var completedSince = r.SkipIfCompletedWithinMonths == 0 ? (DateTime?)null : now.AddMonths(-r.SkipIfCompletedWithinMonths);
            var blocked = await db.Clients.AsNoTracking().Where(c => c.Id == row.ClientId).Select(c => new
            {
                Ended = c.EndDate != null && c.EndDate <= today,
                Completed = completedSince != null && db.FormResponses.Any(x => x.ClientId == c.Id && x.IntakeFormId == r.IntakeFormId && x.SubmittedAtUtc >= completedSince),
                Waiting = db.FormAssignments.Any(a => a.ClientId == c.Id && a.IntakeFormId == r.IntakeFormId
                    && (a.Status == FormAssignmentStatus.ToDo || a.Status == FormAssignmentStatus.Draft)),
            }).SingleAsync(ct);
            if (blocked.Ended || blocked.Completed || blocked.Waiting)
                continue;
            if ((await PortalReaders.ForPatientAsync(db, row.ClientId, today, ct)).Count == 0)
                continue;
            candidates.Add(new Candidate(r.Id, FormRuleText.Short(row.FormTitle, r.DaysBefore, row.TypeName), r.IntakeFormId, row.AppointmentId, row.ClientId));
        }
        return candidates;
    }
}
