using System.Net;
using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Components.Shared;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Clinic;
using PortalApp.Features.IntakeForms.Sending;
using PortalApp.Features.Messaging;
using PortalApp.Infrastructure;

namespace PortalApp.Features.IntakeForms.Rules;

/// <summary>Unfinished forms whose reminder is due, claimed by this instance (<see cref="WorkClaim"/>) until sent.</summary>
public sealed class ClaimedReminders(PortalDbContext db, IReadOnlyList<FormAssignment> rows) : IAsyncDisposable
{
    internal PortalDbContext Db { get; } = db;
    public IReadOnlyList<FormAssignment> Rows { get; } = rows;

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}

/// <summary>
/// Reminds patients of unfinished forms at the times <see cref="FormReminderSchedule"/> gives: one email per patient
/// (and to each full-access caregiver) however many forms wait, naming no form (a PHQ-9's title says too much in an
/// inbox). The email, the next reminder time and the audit entry are saved together, and only if no form changed since
/// it was claimed: a form submitted at that moment gets no reminder.
/// </summary>
public sealed class FormReminderDispatcher(
    IDbContextFactory<PortalDbContext> dbFactory, EmailComposer composer, EmailOutbox outbox, ClinicSettingsService clinic, ClinicClock clock,
    AuditLog audit, InstanceIdentity instance, ILogger<FormReminderDispatcher> logger)
{
    public const int BatchSize = 100;
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <returns>How many patients were reminded.</returns>
    public async Task<int> RemindDueAsync(CancellationToken ct = default)
    {
        await using var claimed = await ClaimAsync(ct);
        return await SendAsync(claimed, ct);
    }

    public async Task<ClaimedReminders> ClaimAsync(CancellationToken ct = default)
    {
        var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.UtcNow;
        var rows = await WorkClaim.ClaimAsync(db,
            db.FormAssignments.Where(a => (a.Status == FormAssignmentStatus.ToDo || a.Status == FormAssignmentStatus.Draft)
                && a.NextReminderAtUtc != null && a.NextReminderAtUtc <= now).OrderBy(a => a.NextReminderAtUtc).ThenBy(a => a.Id),
            BatchSize, instance.Name, now, Lease, ct);
        return new ClaimedReminders(db, rows);
    }

    public async Task<int> SendAsync(ClaimedReminders claimed, CancellationToken ct = default)
    {
        var db = claimed.Db;
        var settings = await clinic.GetAsync(ct);
        var now = clock.UtcNow;
        var today = await clock.TodayAsync(ct);
        var reminded = 0;
        foreach (var forms in claimed.Rows.GroupBy(a => a.ClientId))
        {
            var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == forms.Key, ct);
            var readers = client.IsEndedOn(today) ? [] : await PortalReaders.ForPatientAsync(db, client.Id, today, ct);
            foreach (var form in forms)
            {
                // An end-dated patient, or one nobody can read for, gets no more reminders for these forms.
                form.NextReminderAtUtc = readers.Count == 0 ? null : FormReminderSchedule.NextAfter(form.DueAtUtc, now, settings.TimeZone);
                form.Version++;
                WorkClaim.Release(form);
            }
            if (readers.Count > 0)
            {
                await QueueEmailsAsync(db, client, readers, forms.ToList(), settings, ct);
                audit.Add(db, null, AuditActions.IntakeFormReminder, client.Id, AuditOutcome.Succeeded,
                    $"Reminder for forms {string.Join(", ", forms.Select(f => f.IntakeFormId))} (assignments {string.Join(", ", forms.Select(f => f.Id))})");
            }
            try
            {
                await db.SaveChangesAsync(ct);
                if (readers.Count > 0)
                    reminded++;
            }
            catch (DbUpdateConcurrencyException)
            {
                // The patient saved or submitted meanwhile: nothing of this patient's reminder is kept; a form still
                // unfinished is claimable again when its lease ends, with its reminder time as it now stands.
                db.ChangeTracker.Clear();
                logger.LogInformation("Form reminder for client {ClientId} dropped: a form changed while it was being sent", client.Id);
            }
        }
        if (reminded > 0)
            outbox.WakeDispatcher();
        return reminded;
    }

    private async Task QueueEmailsAsync(PortalDbContext db, Client client, IReadOnlyList<PortalReader> readers, List<FormAssignment> forms,
        ClinicView settings, CancellationToken ct)
    {
        var due = forms.Where(f => f.DueAtUtc is not null).Min(f => f.DueAtUtc);
        var when = due is { } d ? $" before your appointment on {Dates.FormatClinicTime(d, settings.TimeZone)}" : "";
        var count = forms.Count == 1 ? "a form" : $"{forms.Count} forms";
        var patient = client.PreferredName ?? client.FirstName;
        foreach (var reader in readers.Where(r => EmailAddressRules.IsValid(r.Email)))
        {
            var first = reader.IsPatient ? patient : reader.Name.Split(' ', 2)[0];
            var whose = reader.IsPatient ? "you have" : $"{patient} has";
            var subject = $"A reminder from {settings.Name}: {count} to fill in";
            var text = $"Hello {first},\n\nA reminder that {whose} {count} to fill in{when}. It takes a few minutes and helps us prepare.\n\n" +
                $"Sign in to the patient portal to fill in: {settings.PatientFormsLink}\n\nIf you have already sent it, thank you: please ignore this email.";
            var html = $"<p>Hello {WebUtility.HtmlEncode(first)},</p><p>A reminder that {WebUtility.HtmlEncode(whose)} {count} to fill in{WebUtility.HtmlEncode(when)}. " +
                "It takes a few minutes and helps us prepare.</p>" +
                $"<p><a href=\"{WebUtility.HtmlEncode(settings.PatientFormsLink)}\"><strong>Sign in to fill in</strong></a></p>" +
                "<p>If you have already sent it, thank you: please ignore this email.</p>";
            var content = await composer.ComposeAsync(settings, subject, html, text);
            outbox.Enqueue(db, new OutgoingEmail(reader.Email, reader.Name, content.Subject, content.Html, content.Text, "form-reminder", client.Id));
        }
    }
}
