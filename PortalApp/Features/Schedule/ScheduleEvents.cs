namespace PortalApp.Features.Schedule;

/// <summary>A patient confirmed or cancelled an appointment themselves; <paramref name="Via"/> is how, e.g. "text reply".</summary>
public sealed record PatientResponseNotice(int AppointmentId, int ClientId, bool Cancelled, string Via)
{
    public const int MaxViaLength = 40;

    /// <summary>"Confirmed:text reply": the words of the notice other instances receive (ids travel beside it).</summary>
    public string Response => $"{(Cancelled ? "Cancelled" : "Confirmed")}:{Via}";

    public static PatientResponseNotice? Parse(int appointmentId, int clientId, string response)
    {
        var parts = response.Split(':', 2);
        if (parts.Length != 2 || parts[1].Length is 0 or > MaxViaLength || parts[0] is not ("Cancelled" or "Confirmed"))
            return null;
        return new PatientResponseNotice(appointmentId, clientId, parts[0] == "Cancelled", parts[1]);
    }
}

/// <summary>
/// Tells open Schedule pages that a patient answered a reminder, so the front desk sees it without a reload. On
/// PostgreSQL the notice also goes to the other instances (<see cref="Infrastructure.InstanceNotifications"/>), whose
/// relay raises it there.
/// </summary>
public sealed class ScheduleEvents(Infrastructure.InstanceNotifications? otherInstances = null)
{
    public event Action<PatientResponseNotice>? PatientResponded;

    public void Publish(PatientResponseNotice notice)
    {
        PatientResponded?.Invoke(notice);
        otherInstances?.AppointmentResponded(notice.AppointmentId, notice.ClientId, notice.Response);
    }

    internal void RaiseFromOtherInstance(PatientResponseNotice notice) => PatientResponded?.Invoke(notice);
}
