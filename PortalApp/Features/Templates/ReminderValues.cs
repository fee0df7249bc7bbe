using System.Globalization;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Templates;

/// <summary>
/// What a reminder says about the appointment: when it starts, where, with whom, and (only when the clinic turns it on)
/// what for. For back-to-back appointments it is the run's start and every practitioner in it.
/// </summary>
/// <param name="Place">The room; ignored for a video visit.</param>
public sealed record ReminderFacts(DateTime StartUtc, IReadOnlyList<string> Practitioners, bool IsVideo, string Place, IReadOnlyList<string> Types);

/// <summary>The appointment placeholders of a reminder template, in the patient's language: the one home of their wording.</summary>
public static class ReminderValues
{
    private static readonly CultureInfo English = ClientLanguage.English.Culture();
    private static readonly CultureInfo French = ClientLanguage.French.Culture();

    public static TemplateModel With(TemplateModel model, ReminderFacts facts, ClientLanguage language, TimeZoneInfo zone, bool showType, string? link)
    {
        var local = ClinicTime.ToWallClock(facts.StartUtc, zone);
        var french = language == ClientLanguage.French;
        return model with
        {
            // Written out by hand rather than with a culture's patterns, which differ between ICU versions (and put
            // narrow no-break spaces in French times that cost a text message its GSM-7 encoding).
            AppointmentDate = french
                ? $"{local.ToString("dddd", French)} {local.Day} {local.ToString("MMMM", French)} {local.Year}"
                : $"{local.ToString("dddd", English)} {local.Day} {local.ToString("MMMM", English)} {local.Year}",
            AppointmentTime = french
                ? $"{local.Hour} h {local.Minute:00}"
                : local.ToString("h:mm", CultureInfo.InvariantCulture) + (local.Hour < 12 ? " AM" : " PM"),
            AppointmentPlace = facts.IsVideo ? (french ? "consultation vidéo" : "video visit") : facts.Place,
            AppointmentPractitioner = Join(facts.Practitioners, french ? "et" : "and"),
            AppointmentType = showType ? Join(facts.Types, french ? "et" : "and") : "",
            AppointmentLink = link,
        };
    }

    /// <summary>"A", "A and B", "A, B and C", each once.</summary>
    private static string Join(IReadOnlyList<string> names, string and)
    {
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count <= 1 ? distinct.FirstOrDefault() ?? "" : $"{string.Join(", ", distinct[..^1])} {and} {distinct[^1]}";
    }
}
