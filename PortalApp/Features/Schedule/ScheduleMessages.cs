using PortalApp.Data;

namespace PortalApp.Features.Schedule;

/// <summary>What the Schedule says when it refuses, in one place so tests and pages agree.</summary>
public static class ScheduleMessages
{
    public const int MaxLocationLength = 150, MaxCancelReasonLength = 300;

    /// <summary>Bookings further out than this are typing mistakes (year 2062 for 2026), not plans.</summary>
    public const int MaxYearsAhead = 2;

    public const string NotAllowedToBook = "Only admins and front desk staff can book or change appointments.";
    public const string NotAllowedToMark = "Only admins, front desk staff and the appointment's own practitioner can mark it arrived, completed or no-show.";
    public const string ClientMissing = "Choose a client.";
    public const string ClientGone = "That client no longer exists.";
    public const string ClientEnded = "This client's card has an end date: they cannot be booked. Remove the end date on their Details tab first.";
    public const string ClientMerged = "This client's card was merged into another one: book on the card it was merged into.";
    public const string TypeMissing = "Choose an appointment type.";
    public const string TypeInactive = "That appointment type is no longer offered: choose another.";
    public const string PractitionerMissing = "Choose a practitioner.";
    public const string PractitionerInactive = "That practitioner is inactive and cannot be booked: choose another.";
    public const string DateMissing = "Choose the day.";
    public const string TimeMissing = "Enter the start time.";
    public const string RoomTooLong = "The room can be at most 150 characters.";
    public const string ReasonMissing = "Give the reason for cancelling.";
    public const string ReasonTooLong = "The reason can be at most 300 characters.";
    public const string AppointmentGone = "That appointment no longer exists.";
    public const string ChangedMeanwhile = "Someone else changed this appointment while you had it open. Close it and open it again to see their change.";
    public const string NothingChanged = "Nothing changed.";

    public static string Length => $"The length must be {AppointmentType.MinLengthMinutes} to {AppointmentType.MaxLengthMinutes} minutes.";

    public static string TooFarAhead => $"Bookings can be made up to {MaxYearsAhead} years ahead: check the year.";

    public static string TooFarBack => $"That day is more than {MaxYearsAhead} years ago: check the year.";

    /// <summary>Names the booking in the way, not the client in it: the front desk needs the time to find another slot.</summary>
    public static string Clash(string practitioner, string from, string to, string type) =>
        $"{practitioner} is already booked {from}–{to} ({type}). Choose another time, or another practitioner.";

    public static string NotMovable(AppointmentStatus status) =>
        $"This appointment is {Describe(status)}: only a booked appointment can be moved or changed.";

    public static string Transition(AppointmentStatus from, AppointmentStatus to) =>
        $"This appointment is {Describe(from)}: it cannot be {(to == AppointmentStatus.Booked ? "reopened" : "marked " + Describe(to))}.";

    public static string OnlyBookedConfirm(AppointmentStatus status) =>
        $"This appointment is {Describe(status)}: only a booked appointment can be confirmed.";

    public const string ConfirmTooLate = "This appointment has started: there is nothing left to confirm.";
    public const string AlreadyConfirmed = "This appointment is confirmed already.";

    /// <summary>The Schedule's live notice: "Jane Doe confirmed Tue 3 Dec 09:00 by text reply".</summary>
    public static string PatientResponded(string clientName, string slot, bool cancelled, string via) =>
        $"{clientName} {(cancelled ? "cancelled" : "confirmed")} {slot} by {via}";

    public static string Describe(AppointmentStatus status) => status switch
    {
        AppointmentStatus.NoShow => "a no-show",
        _ => status.ToString().ToLowerInvariant(),
    };
}
