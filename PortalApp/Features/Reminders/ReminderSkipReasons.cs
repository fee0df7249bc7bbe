using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Reminders;

/// <summary>Why a reminder was not sent (Skipped) or taken back (Withdrawn), as staff read it on the client card and the appointment.</summary>
public static class ReminderSkipReasons
{
    public const string TooLate = "Too late";
    public const string EndDated = "Client is end-dated";
    public const string AlreadyConfirmed = "Already confirmed";
    public const string NoEmail = "No email address on the card";
    public const string BadEmail = "The email address on the card is not usable";
    public const string NoMobile = "No mobile number on the card";
    public const string BadMobile = "The mobile number on the card is not a full international number";
    public const string ClientChoseOthers = "The client chose other channels";
    public const string Moved = "Appointment moved";
    public const string ScheduleChanged = "The reminder schedule changed";
    public const string Superseded = "Replaced by a later reminder on the same channel";

    public static string OptedOut(MessageChannel channel) => $"Opted out of {ReminderChannelText.Plural(channel)}";

    public static string ChannelOff(MessageChannel channel) => $"{ReminderChannelText.Label(channel)} reminders are turned off";

    public static string NotBooked(AppointmentStatus status) => status switch
    {
        AppointmentStatus.Cancelled => "Appointment cancelled",
        AppointmentStatus.NoShow => "Appointment marked no-show",
        _ => $"Appointment marked {status.ToString().ToLowerInvariant()}",
    };

    /// <summary>Back-to-back: an earlier appointment that day carries the reminder.</summary>
    public static string CoveredBy(DateTime firstStartUtc, TimeZoneInfo zone) =>
        $"Reminded with the appointment at {ClinicTime.ToWallClock(firstStartUtc, zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)} (back-to-back)";

    public static string TemplateProblem(string problem) => Fit($"The template cannot be used: {problem}");

    public static string Fit(string reason) => reason.Length <= AppointmentReminder.MaxSkipReasonLength ? reason : reason[..(AppointmentReminder.MaxSkipReasonLength - 1)] + "…";
}
