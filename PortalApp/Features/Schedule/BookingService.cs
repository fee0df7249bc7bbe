using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using static PortalApp.Features.Schedule.ScheduleResult;

namespace PortalApp.Features.Schedule;

/// <summary>
/// Booking and moving appointments. Admins and front desk book; every check is made here on the server, inside the
/// write lock, and every change leaves an audit row and a history row on the appointment.
/// </summary>
public sealed class BookingService(IDbContextFactory<PortalDbContext> dbFactory, AuditLog audit, ClinicSettingsService clinic, ClinicClock clock)
{
    public static bool MayBook(StaffActor actor) => actor.IsAdmin || actor.Roles.Contains(StaffRoles.FrontDesk);

    public async Task<ScheduleResult> BookAsync(BookingForm form, StaffActor actor, CancellationToken ct = default)
    {
        if (!MayBook(actor))
            return new Refused(ScheduleMessages.NotAllowedToBook);
        if (form.ClientId is null)
            return new Refused(ScheduleMessages.ClientMissing, nameof(form.ClientId));
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        if (await CheckFormAsync(form, zone, ct) is Refused invalid)
            return invalid;
        var (startUtc, endUtc) = Times(form, zone);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await ScheduleWriteLock.BeginAsync(db, new int?[] { form.PractitionerId }.OfType<int>(), ct);
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == form.ClientId).Select(c => new { c.Id, c.EndDate, c.MergedIntoClientId }).SingleOrDefaultAsync(ct);
        if (client is null)
            return new Refused(ScheduleMessages.ClientGone, nameof(form.ClientId));
        if (client.MergedIntoClientId is not null)
            return new Refused(ScheduleMessages.ClientMerged, nameof(form.ClientId));
        if (client.EndDate is { } end && end <= await clock.TodayAsync(ct))
            return new Refused(ScheduleMessages.ClientEnded, nameof(form.ClientId));
        var type = await db.AppointmentTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Id == form.AppointmentTypeId, ct);
        if (type is not { IsActive: true })
            return new Refused(ScheduleMessages.TypeInactive, nameof(form.AppointmentTypeId));
        var practitioner = await db.Practitioners.AsNoTracking().SingleOrDefaultAsync(p => p.Id == form.PractitionerId, ct);
        if (practitioner is not { IsActive: true })
            return new Refused(ScheduleMessages.PractitionerInactive, nameof(form.PractitionerId));
        if (await ClashAsync(db, practitioner, startUtc, endUtc, null, zone, ct) is { } clash)
            return clash;

        var now = clock.UtcNow;
        var appointment = new Appointment
        {
            ClientId = client.Id, PractitionerId = practitioner.Id, AppointmentTypeId = type.Id, StartUtc = startUtc, EndUtc = endUtc,
            IsVideo = form.IsVideo, Location = form.IsVideo ? "" : form.Location?.Trim() ?? "", Status = AppointmentStatus.Booked,
            CreatedAtUtc = now, UpdatedAtUtc = now,
        };
        appointment.Changes.Add(History(AppointmentChangeKind.Booked, actor, now,
            $"{ScheduleFormat.Slot(startUtc, zone)}, {form.LengthMinutes} min with {practitioner.DisplayName}"));
        db.Appointments.Add(appointment);
        // Ids and the type only: the audit log stays free of patient values.
        audit.Add(db, actor, AuditActions.AppointmentBook, client.Id, AuditOutcome.Succeeded, $"Practitioner {practitioner.Id}; type {type.Id}");
        return await SaveAsync(db, tx, appointment, $"Booked {ScheduleFormat.Slot(startUtc, zone)} with {practitioner.DisplayName}.", ct);
    }

    /// <summary>Moves a booking (day, time, length, practitioner) or changes its type or room; the same checks as a new booking.</summary>
    public async Task<ScheduleResult> ChangeAsync(BookingForm form, StaffActor actor, CancellationToken ct = default)
    {
        if (!MayBook(actor))
            return new Refused(ScheduleMessages.NotAllowedToBook);
        var zone = (await clinic.GetAsync(ct)).TimeZone;
        if (await CheckFormAsync(form, zone, ct) is Refused invalid)
            return invalid;
        var (startUtc, endUtc) = Times(form, zone);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await ScheduleWriteLock.BeginForAppointmentAsync(db, form.AppointmentId ?? 0, form.PractitionerId, ct);
        var appointment = await db.Appointments.Include(a => a.Practitioner).Include(a => a.AppointmentType)
            .SingleOrDefaultAsync(a => a.Id == form.AppointmentId, ct);
        if (appointment is null)
            return new Refused(ScheduleMessages.AppointmentGone);
        if (appointment.Version != form.Version)
            return new Refused(ScheduleMessages.ChangedMeanwhile);
        if (appointment.Status != AppointmentStatus.Booked)
            return new Refused(ScheduleMessages.NotMovable(appointment.Status));
        var type = appointment.AppointmentType;
        if (form.AppointmentTypeId != type.Id)
        {
            type = await db.AppointmentTypes.SingleOrDefaultAsync(t => t.Id == form.AppointmentTypeId, ct);
            if (type is not { IsActive: true })
                return new Refused(ScheduleMessages.TypeInactive, nameof(form.AppointmentTypeId));
        }
        var practitioner = appointment.Practitioner;
        if (form.PractitionerId != practitioner.Id)
        {
            practitioner = await db.Practitioners.SingleOrDefaultAsync(p => p.Id == form.PractitionerId, ct);
            if (practitioner is not { IsActive: true })
                return new Refused(ScheduleMessages.PractitionerInactive, nameof(form.PractitionerId));
        }
        var location = form.IsVideo ? "" : form.Location?.Trim() ?? "";
        var moved = startUtc != appointment.StartUtc || endUtc != appointment.EndUtc || practitioner.Id != appointment.PractitionerId;
        var edited = new List<string>();
        if (type.Id != appointment.AppointmentTypeId) edited.Add("type");
        if (form.IsVideo != appointment.IsVideo) edited.Add("video or in person");
        if (location != appointment.Location) edited.Add("room");
        if (!moved && edited.Count == 0)
            return new Done(appointment.Id, ScheduleMessages.NothingChanged);
        if (moved && await ClashAsync(db, practitioner, startUtc, endUtc, appointment.Id, zone, ct) is { } clash)
            return clash;

        var now = clock.UtcNow;
        var details = new List<string>();
        if (startUtc != appointment.StartUtc)
            details.Add($"{ScheduleFormat.Slot(appointment.StartUtc, zone)} → {ScheduleFormat.Slot(startUtc, zone)}");
        if (practitioner.Id != appointment.PractitionerId)
            details.Add($"{appointment.Practitioner.DisplayName} → {practitioner.DisplayName}");
        if (endUtc - startUtc != appointment.EndUtc - appointment.StartUtc)
            details.Add($"{(int)(appointment.EndUtc - appointment.StartUtc).TotalMinutes} → {form.LengthMinutes} min");
        if (edited.Count > 0)
            details.Add("Changed: " + string.Join(", ", edited));
        appointment.StartUtc = startUtc;
        appointment.EndUtc = endUtc;
        appointment.PractitionerId = practitioner.Id;
        appointment.AppointmentTypeId = type.Id;
        appointment.IsVideo = form.IsVideo;
        appointment.Location = location;
        appointment.UpdatedAtUtc = now;
        appointment.Version++;
        // The patient confirmed a time with a practitioner: a moved appointment waits for a new confirmation.
        if (moved && appointment.ConfirmedAtUtc is not null)
        {
            (appointment.ConfirmedAtUtc, appointment.ConfirmedVia) = (null, null);
            details.Add("Confirmation cleared");
        }
        var kind = moved ? AppointmentChangeKind.Rescheduled : AppointmentChangeKind.Edited;
        appointment.Changes.Add(History(kind, actor, now, string.Join("; ", details)));
        audit.Add(db, actor, moved ? AuditActions.AppointmentReschedule : AuditActions.AppointmentEdit, appointment.ClientId, AuditOutcome.Succeeded,
            $"Appointment {appointment.Id}" + (edited.Count > 0 ? "; changed: " + string.Join(", ", edited) : ""));
        return await SaveAsync(db, tx, appointment, moved ? $"Moved to {ScheduleFormat.Slot(startUtc, zone)} with {practitioner.DisplayName}." : "Appointment changed.", ct);
    }

    /// <summary>Checks that need no database: presence and bounds, and that the wall-clock time exists that day.</summary>
    private async Task<Refused?> CheckFormAsync(BookingForm form, TimeZoneInfo zone, CancellationToken ct)
    {
        if (form.AppointmentTypeId is null)
            return new Refused(ScheduleMessages.TypeMissing, nameof(form.AppointmentTypeId));
        if (form.PractitionerId is null)
            return new Refused(ScheduleMessages.PractitionerMissing, nameof(form.PractitionerId));
        if (form.Date is not { } date)
            return new Refused(ScheduleMessages.DateMissing, nameof(form.Date));
        if (form.StartTime is not { } time || time < TimeSpan.Zero || time >= TimeSpan.FromDays(1))
            return new Refused(ScheduleMessages.TimeMissing, nameof(form.StartTime));
        if (form.LengthMinutes is < AppointmentType.MinLengthMinutes or > AppointmentType.MaxLengthMinutes)
            return new Refused(ScheduleMessages.Length, nameof(form.LengthMinutes));
        if (!form.IsVideo && form.Location?.Trim().Length > ScheduleMessages.MaxLocationLength)
            return new Refused(ScheduleMessages.RoomTooLong, nameof(form.Location));
        var today = await clock.TodayAsync(ct);
        var day = DateOnly.FromDateTime(date);
        if (day > today.AddYears(ScheduleMessages.MaxYearsAhead))
            return new Refused(ScheduleMessages.TooFarAhead, nameof(form.Date));
        if (day < today.AddYears(-ScheduleMessages.MaxYearsAhead))
            return new Refused(ScheduleMessages.TooFarBack, nameof(form.Date));
        if (ClinicTime.ToUtc(date.Date + time, zone) is ClinicTime.Conversion.Skipped skipped)
            return new Refused(skipped.Message, nameof(form.StartTime));
        return null;
    }

    /// <summary>Converted with the rules of the booking's own day, so 09:00 stays 09:00 across a daylight-saving change.</summary>
    private static (DateTime StartUtc, DateTime EndUtc) Times(BookingForm form, TimeZoneInfo zone)
    {
        var start = ((ClinicTime.Conversion.Ok)ClinicTime.ToUtc(form.Date!.Value.Date + form.StartTime!.Value, zone)).Utc;
        return (start, start.AddMinutes(form.LengthMinutes));
    }

    /// <summary>The booking in the way, as the refusal staff see; null when the slot is free or the clinic allows overlaps.</summary>
    internal static async Task<Refused?> ClashAsync(PortalDbContext db, Practitioner practitioner, DateTime startUtc, DateTime endUtc, int? exceptId,
        TimeZoneInfo zone, CancellationToken ct)
    {
        if (await db.ClinicSettings.AsNoTracking().Select(s => s.AllowOverlappingAppointments).FirstOrDefaultAsync(ct))
            return null;
        var clash = await db.Appointments.AsNoTracking().Overlapping(practitioner.Id, startUtc, endUtc, exceptId)
            .OrderBy(a => a.StartUtc).Select(a => new { a.StartUtc, a.EndUtc, Type = a.AppointmentType.Name }).FirstOrDefaultAsync(ct);
        return clash is null ? null : new Refused(ScheduleMessages.Clash(practitioner.DisplayName,
            ScheduleFormat.Clock(clash.StartUtc, zone), ScheduleFormat.Clock(clash.EndUtc, zone), clash.Type), nameof(BookingForm.StartTime));
    }

    internal static AppointmentChange History(AppointmentChangeKind kind, StaffActor actor, DateTime now, string? details) => new()
    {
        Kind = kind, AtUtc = now, StaffUserId = actor.UserId, StaffDisplayName = actor.DisplayName,
        Details = details is { Length: > 500 } ? details[..500] : details,
    };

    internal static async Task<ScheduleResult> SaveAsync(PortalDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx,
        Appointment appointment, string message, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Refused(ScheduleMessages.ChangedMeanwhile);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return new Refused(DatabaseFailures.Message);
        }
        return new Done(appointment.Id, message);
    }
}
