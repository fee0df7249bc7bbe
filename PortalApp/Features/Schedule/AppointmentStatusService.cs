using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using static PortalApp.Features.Schedule.ScheduleResult;

namespace PortalApp.Features.Schedule;

/// <summary>
/// Cancelling, and marking a visit arrived, completed or a no-show (or reopening it). Admins and front desk may do all
/// of it; a practitioner may mark their own appointments arrived, completed or no-show, since they see who came.
/// </summary>
public sealed class AppointmentStatusService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ClinicSettingsService clinic, ClinicClock clock)
{
    /// <summary>The moves a booking's status may make; anything else (e.g. completing a cancelled visit) is refused with a message.</summary>
    private static readonly Dictionary<AppointmentStatus, AppointmentStatus[]> Allowed = new()
    {
        [AppointmentStatus.Booked] = [AppointmentStatus.Arrived, AppointmentStatus.Completed, AppointmentStatus.NoShow, AppointmentStatus.Cancelled],
        [AppointmentStatus.Arrived] = [AppointmentStatus.Completed, AppointmentStatus.Booked, AppointmentStatus.Cancelled],
        [AppointmentStatus.NoShow] = [AppointmentStatus.Booked],
        [AppointmentStatus.Cancelled] = [AppointmentStatus.Booked],
        [AppointmentStatus.Completed] = [],
    };

    public static bool CanMove(AppointmentStatus from, AppointmentStatus to) => Allowed[from].Contains(to);

    public async Task<ScheduleResult> CancelAsync(int appointmentId, int version, string? reason, StaffActor actor, CancellationToken ct = default)
    {
        if (!BookingService.MayBook(actor))
            return new Refused(ScheduleMessages.NotAllowedToBook);
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
            return new Refused(ScheduleMessages.ReasonMissing, "Reason");
        if (reason.Length > ScheduleMessages.MaxCancelReasonLength)
            return new Refused(ScheduleMessages.ReasonTooLong, "Reason");
        return await MoveAsync(appointmentId, version, AppointmentStatus.Cancelled, reason, actor, ct);
    }

    /// <summary>Arrived, completed, no-show, or back to booked (reopened).</summary>
    public async Task<ScheduleResult> MarkAsync(int appointmentId, int version, AppointmentStatus status, StaffActor actor, CancellationToken ct = default)
    {
        if (status == AppointmentStatus.Cancelled)
            throw new ArgumentException("Cancel through CancelAsync: a cancellation needs a reason.", nameof(status));
        return await MoveAsync(appointmentId, version, status, null, actor, ct);
    }

    /// <summary>How an appointment staff confirmed for the patient (who phoned, or said so at the desk) shows.</summary>
    public const string ConfirmedByStaff = "staff";

    /// <summary>
    /// Records that the patient will come, as a reminder's reply or link would: the appointment shows as confirmed and,
    /// when the clinic skips confirmed appointments, its later reminders are not sent.
    /// </summary>
    public async Task<ScheduleResult> ConfirmForPatientAsync(int appointmentId, int version, StaffActor actor, CancellationToken ct = default)
    {
        if (!BookingService.MayBook(actor))
            return new Refused(ScheduleMessages.NotAllowedToBook);
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await ScheduleWriteLock.BeginForAppointmentAsync(db, appointmentId, null, ct);
        var appointment = await db.Appointments.SingleOrDefaultAsync(a => a.Id == appointmentId, ct);
        if (appointment is null)
            return new Refused(ScheduleMessages.AppointmentGone);
        if (appointment.Version != version)
            return new Refused(ScheduleMessages.ChangedMeanwhile);
        if (appointment.Status != AppointmentStatus.Booked)
            return new Refused(ScheduleMessages.OnlyBookedConfirm(appointment.Status));
        var now = clock.UtcNow;
        if (appointment.StartUtc <= now)
            return new Refused(ScheduleMessages.ConfirmTooLate);
        if (appointment.ConfirmedAtUtc is not null)
            return new Refused(ScheduleMessages.AlreadyConfirmed);

        (appointment.ConfirmedAtUtc, appointment.ConfirmedVia) = (now, ConfirmedByStaff);
        appointment.UpdatedAtUtc = now;
        appointment.Version++;
        appointment.Changes.Add(BookingService.History(AppointmentChangeKind.Confirmed, actor, now, "for the patient, by staff"));
        audit.Add(db, actor, AuditActions.AppointmentConfirm, appointment.ClientId, AuditOutcome.Succeeded, $"Appointment {appointment.Id}; by staff for the patient");
        return await BookingService.SaveAsync(db, tx, appointment, $"Confirmed {ScheduleFormat.Slot(appointment.StartUtc, zone)} for the patient.", ct);
    }

    private async Task<ScheduleResult> MoveAsync(int appointmentId, int version, AppointmentStatus status, string? reason, StaffActor actor, CancellationToken ct)
    {
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await ScheduleWriteLock.BeginForAppointmentAsync(db, appointmentId, null, ct);
        var appointment = await db.Appointments.Include(a => a.Practitioner).Include(a => a.AppointmentType)
            .SingleOrDefaultAsync(a => a.Id == appointmentId, ct);
        if (appointment is null)
            return new Refused(ScheduleMessages.AppointmentGone);
        var ownVisit = appointment.Practitioner.StaffUserId == actor.UserId && actor.Roles.Contains(StaffRoles.Practitioner);
        var reopening = status == AppointmentStatus.Booked;
        if (!BookingService.MayBook(actor) && !(ownVisit && !reopening && status != AppointmentStatus.Cancelled))
            return new Refused(reopening ? ScheduleMessages.NotAllowedToBook : ScheduleMessages.NotAllowedToMark);
        if (appointment.Version != version)
            return new Refused(ScheduleMessages.ChangedMeanwhile);
        if (!CanMove(appointment.Status, status))
            return new Refused(ScheduleMessages.Transition(appointment.Status, status));
        // A reopened cancellation or no-show holds the practitioner's time again, so it must not double-book them.
        if (reopening && appointment.Status is AppointmentStatus.Cancelled or AppointmentStatus.NoShow
            && await BookingService.ClashAsync(db, appointment.Practitioner, appointment.StartUtc, appointment.EndUtc, appointment.Id, zone, ct) is { } clash)
            return clash;

        var now = clock.UtcNow;
        var kind = status switch
        {
            AppointmentStatus.Arrived => AppointmentChangeKind.Arrived,
            AppointmentStatus.Completed => AppointmentChangeKind.Completed,
            AppointmentStatus.NoShow => AppointmentChangeKind.NoShow,
            AppointmentStatus.Cancelled => AppointmentChangeKind.Cancelled,
            _ => AppointmentChangeKind.Reopened,
        };
        var from = appointment.Status;
        appointment.Status = status;
        appointment.CancelReason = status == AppointmentStatus.Cancelled ? reason : null;
        appointment.UpdatedAtUtc = now;
        appointment.Version++;
        appointment.Changes.Add(BookingService.History(kind, actor, now,
            status == AppointmentStatus.Cancelled ? $"{ScheduleFormat.Slot(appointment.StartUtc, zone)}: {reason}" : $"Was {ScheduleMessages.Describe(from)}"));
        // The reason stays in the appointment's history, not in the audit log: it may say something about the patient.
        audit.Add(db, actor, status == AppointmentStatus.Cancelled ? AuditActions.AppointmentCancel : AuditActions.AppointmentStatusChange,
            appointment.ClientId, AuditOutcome.Succeeded, $"Appointment {appointment.Id}; {from} → {status}");
        var message = status switch
        {
            AppointmentStatus.Cancelled => "Appointment cancelled.",
            AppointmentStatus.Booked => "Appointment reopened.",
            _ => $"Marked {ScheduleMessages.Describe(status)}.",
        };
        return await BookingService.SaveAsync(db, tx, appointment, message, ct);
    }
}
