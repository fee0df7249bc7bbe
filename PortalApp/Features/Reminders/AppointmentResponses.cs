using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.Schedule;

namespace PortalApp.Features.Reminders;

/// <summary>How a patient answered a reminder.</summary>
public enum ResponseVia
{
    ReminderLink,
    TextReply,
    VoiceCall,
}

/// <summary>Why a patient's confirm or cancel was not taken; <see cref="ResponseWords.Refusal"/> says it in their language.</summary>
public enum ResponseRefusal
{
    NotFound,
    ClientEnded,

    /// <summary>Cancelled, arrived, completed, a no-show, or already started.</summary>
    NotUpcoming,

    /// <summary>Staff changed it since the patient saw it (the page's version, or the time the reminder gave).</summary>
    Changed,
    OnlineCancelOff,
    TooLate,
    LinkUsed,
    Unavailable,
}

public abstract record PatientResponseResult
{
    /// <param name="Message">In English, for the link page; other channels word it from <paramref name="StartUtc"/>.</param>
    public sealed record Done(string Message, DateTime StartUtc) : PatientResponseResult;

    public sealed record Refused(string Message, ResponseRefusal Reason) : PatientResponseResult;
}

/// <summary>
/// A patient confirming or cancelling an appointment themselves: from a reminder's link, a text reply or a key pressed
/// on a reminder call. Every check is made here, inside the schedule's write lock, and the appointment's version is
/// its concurrency token, so a patient's cancel and a front desk's change of the same appointment cannot both win.
/// Each answer leaves a history row ("Jane Doe (patient)", and how), an audit row (no staff actor, the client's id),
/// and a live notice for open Schedule pages.
/// </summary>
public sealed class AppointmentResponses(
    IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ClinicSettingsService clinic, ClinicClock clock, ScheduleEvents events)
{
    /// <summary>What one answer asks, with the checks only some channels can make.</summary>
    /// <param name="LinkId">The reminder link it came through: a cancel uses it up.</param>
    /// <param name="ExpectedVersion">The appointment's version the patient's page showed.</param>
    /// <param name="ExpectedStartUtc">The start time the reminder gave (a reply to a reminder of an earlier time confirms nothing).</param>
    internal sealed record Request(int AppointmentId, int ClientId, ResponseVia Via, bool Cancel,
        long? LinkId = null, int? ExpectedVersion = null, DateTime? ExpectedStartUtc = null);

    public Task<PatientResponseResult> ConfirmAsync(int appointmentId, int clientId, ResponseVia via, CancellationToken ct = default) =>
        RespondAsync(new Request(appointmentId, clientId, via, Cancel: false), ct);

    public Task<PatientResponseResult> CancelAsync(int appointmentId, int clientId, ResponseVia via, CancellationToken ct = default) =>
        RespondAsync(new Request(appointmentId, clientId, via, Cancel: true), ct);

    /// <summary>The words the appointment's status, history and the Schedule's notice use: "text reply".</summary>
    public static string Describe(ResponseVia via) => via switch
    {
        ResponseVia.TextReply => "text reply",
        ResponseVia.VoiceCall => "voice call",
        _ => "reminder link",
    };

    /// <summary>
    /// Why cancelling online is not allowed for an appointment starting at <paramref name="startUtc"/>, or null when it
    /// is. One rule for the page (which hides the button) and the cancel itself (which refuses a crafted post).
    /// </summary>
    public static ResponseRefusal? CancelBlock(ReminderSettings settings, DateTime startUtc, DateTime nowUtc) =>
        !settings.AllowOnlineCancel ? ResponseRefusal.OnlineCancelOff
        : nowUtc >= startUtc.AddHours(-settings.CancelCutoffHours) && nowUtc < startUtc ? ResponseRefusal.TooLate
        : null;

    internal static async Task<ReminderSettings> SettingsAsync(PortalDbContext db, CancellationToken ct) =>
        await db.ReminderSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == ReminderSettings.SingletonId, ct) ?? new ReminderSettings();

    internal async Task<PatientResponseResult> RespondAsync(Request request, CancellationToken ct)
    {
        var settings = await clinic.GetAsync(ct);
        var today = await clock.TodayAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        int cutoffHours = 0;
        PatientResponseResult.Refused Refuse(ResponseRefusal reason) => new(ResponseWords.Refusal(reason, settings, cutoffHours, ClientLanguage.English), reason);
        try
        {
            await using var tx = await ScheduleWriteLock.BeginForAppointmentAsync(db, request.AppointmentId, null, ct);
            var reminders = await SettingsAsync(db, ct);
            cutoffHours = reminders.CancelCutoffHours;
            var now = clock.UtcNow;
            var appointment = await db.Appointments.Include(a => a.Client).SingleOrDefaultAsync(a => a.Id == request.AppointmentId, ct);
            if (appointment is null || appointment.ClientId != request.ClientId)
                return Refuse(ResponseRefusal.NotFound);
            if (appointment.Client.IsEndedOn(today))
                return Refuse(ResponseRefusal.ClientEnded);
            if (request.Cancel && request.LinkId is { } usedLink
                && await db.ReminderLinks.AnyAsync(l => l.Id == usedLink && l.CancelledAtUtc != null, ct))
                return Refuse(ResponseRefusal.LinkUsed);
            if (appointment.Status != AppointmentStatus.Booked || appointment.StartUtc <= now)
                return Refuse(ResponseRefusal.NotUpcoming);
            // Confirming twice (a double tap, a retried webhook) is the same answer, whatever the page's version says now.
            if (!request.Cancel && appointment.ConfirmedAtUtc is not null)
                return new PatientResponseResult.Done(ResponseWords.Confirmed(appointment.StartUtc, settings, ClientLanguage.English), appointment.StartUtc);
            if (request.ExpectedVersion is { } seen && seen != appointment.Version
                || request.ExpectedStartUtc is { } told && told != appointment.StartUtc)
                return Refuse(ResponseRefusal.Changed);
            if (request.Cancel && CancelBlock(reminders, appointment.StartUtc, now) is { } block)
                return Refuse(block);

            var zone = settings.TimeZone;
            var how = Describe(request.Via);
            var history = new AppointmentChange
            {
                Kind = request.Cancel ? AppointmentChangeKind.Cancelled : AppointmentChangeKind.Confirmed, AtUtc = now,
                StaffDisplayName = $"{appointment.Client.FirstName} {appointment.Client.LastName} (patient)",
                Details = request.Cancel ? $"{ScheduleFormat.Slot(appointment.StartUtc, zone)}: by {how}" : $"by {how}",
            };
            appointment.Changes.Add(history);
            appointment.UpdatedAtUtc = now;
            appointment.Version++;
            if (request.Cancel)
            {
                appointment.Status = AppointmentStatus.Cancelled;
                appointment.CancelReason = $"Cancelled by the patient ({how})";
                if (request.LinkId is { } link)
                    await db.ReminderLinks.Where(l => l.Id == link).ExecuteUpdateAsync(s => s.SetProperty(l => l.CancelledAtUtc, now), ct);
                audit.Add(db, null, AuditActions.AppointmentCancel, appointment.ClientId, AuditOutcome.Succeeded,
                    $"Appointment {appointment.Id}; Booked → Cancelled; by the patient ({how})");
            }
            else
            {
                appointment.ConfirmedAtUtc = now;
                appointment.ConfirmedVia = how;
                if (request.LinkId is { } link)
                    await db.ReminderLinks.Where(l => l.Id == link && l.ConfirmedAtUtc == null).ExecuteUpdateAsync(s => s.SetProperty(l => l.ConfirmedAtUtc, now), ct);
                audit.Add(db, null, AuditActions.AppointmentConfirm, appointment.ClientId, AuditOutcome.Succeeded, $"Appointment {appointment.Id}; by {how}");
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            events.Publish(new PatientResponseNotice(appointment.Id, appointment.ClientId, request.Cancel, how));
            return new PatientResponseResult.Done(request.Cancel
                ? ResponseWords.Cancelled(appointment.StartUtc, settings, ClientLanguage.English)
                : ResponseWords.Confirmed(appointment.StartUtc, settings, ClientLanguage.English), appointment.StartUtc);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Refuse(ResponseRefusal.Changed);
        }
        catch (Exception ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return Refuse(ResponseRefusal.Unavailable);
        }
    }
}
