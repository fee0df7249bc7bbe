using PortalApp.Data;

namespace PortalApp.Features.Schedule;

/// <summary>What staff chose in the appointment dialog.</summary>
public abstract record AppointmentAction
{
    public static readonly AppointmentAction Reschedule = new RescheduleChosen();

    public sealed record RescheduleChosen : AppointmentAction;
    public sealed record Cancel(string? Reason) : AppointmentAction;
    public sealed record Mark(AppointmentStatus Status) : AppointmentAction;
    public sealed record ConfirmForPatient : AppointmentAction;
}
