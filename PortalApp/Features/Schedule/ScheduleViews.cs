using PortalApp.Data;

namespace PortalApp.Features.Schedule;

/// <summary>The booking dialog's form: a new booking, or a change to one (<see cref="AppointmentId"/> and <see cref="Version"/> set).</summary>
public sealed class BookingForm
{
    public int? AppointmentId { get; set; }
    public int? ClientId { get; set; }
    public int? AppointmentTypeId { get; set; }
    public int? PractitionerId { get; set; }

    /// <summary>The clinic's calendar day (MudDatePicker binds DateTime?).</summary>
    public DateTime? Date { get; set; }

    /// <summary>Wall-clock time in the clinic's zone.</summary>
    public TimeSpan? StartTime { get; set; }
    public int LengthMinutes { get; set; } = 30;
    public bool IsVideo { get; set; }
    public string? Location { get; set; }
    public int Version { get; set; }
}

public abstract record ScheduleResult
{
    public sealed record Done(int AppointmentId, string Message) : ScheduleResult;

    /// <param name="Field">The form field the message belongs to, when it belongs to one.</param>
    public sealed record Refused(string Message, string? Field = null) : ScheduleResult;
}

public sealed record PractitionerChoice(int Id, string DisplayName, string? Credentials, string Colour, string? StaffUserId)
{
    public string FullName => Credentials is { Length: > 0 } c ? $"{DisplayName}, {c}" : DisplayName;
}

public sealed record AppointmentTypeChoice(int Id, string Name, int DefaultLengthMinutes, bool IsVideo);

public sealed record BookingChoices(IReadOnlyList<PractitionerChoice> Practitioners, IReadOnlyList<AppointmentTypeChoice> Types);

/// <summary>One appointment on the Schedule grid or in a client's Appointments tab.</summary>
/// <param name="ConfirmedVia">How the patient confirmed it ("text reply", "reminder link"…), when they did.</param>
public sealed record ScheduleItem(
    int Id, int ClientId, string ClientName, int PractitionerId, string PractitionerName, string Colour, int AppointmentTypeId, string Type,
    DateTime StartUtc, DateTime EndUtc, bool IsVideo, string Location, AppointmentStatus Status, string? CancelReason, int Version,
    DateTime? ConfirmedAtUtc = null, string? ConfirmedVia = null)
{
    public int LengthMinutes => (int)(EndUtc - StartUtc).TotalMinutes;
    public string Place => IsVideo ? "Video visit" : Location;

    /// <summary>A booked appointment the patient has confirmed.</summary>
    public bool IsConfirmed => Status == AppointmentStatus.Booked && ConfirmedAtUtc is not null;
}

public sealed record AppointmentHistoryEntry(AppointmentChangeKind Kind, DateTime AtUtc, string StaffDisplayName, string? Details);

public sealed record AppointmentDetails(ScheduleItem Item, IReadOnlyList<AppointmentHistoryEntry> History);
