using Microsoft.EntityFrameworkCore;

namespace PortalApp.Data;

/// <summary>The one home of "this booking double-books the practitioner": booking, rescheduling and import all ask here.</summary>
public static class AppointmentClashes
{
    /// <summary>Appointments that still hold the practitioner's time (not cancelled, not no-shows).</summary>
    public static IQueryable<Appointment> HoldingTime(this IQueryable<Appointment> appointments) =>
        appointments.Where(a => a.Status != AppointmentStatus.Cancelled && a.Status != AppointmentStatus.NoShow);

    /// <summary>The practitioner's bookings that overlap [startUtc, endUtc), other than <paramref name="exceptAppointmentId"/>. Touching ends do not overlap.</summary>
    public static IQueryable<Appointment> Overlapping(this IQueryable<Appointment> appointments, int practitionerId, DateTime startUtc, DateTime endUtc, int? exceptAppointmentId = null) =>
        appointments.HoldingTime()
            .Where(a => a.PractitionerId == practitionerId && a.StartUtc < endUtc && a.EndUtc > startUtc)
            .Where(a => exceptAppointmentId == null || a.Id != exceptAppointmentId);
}
