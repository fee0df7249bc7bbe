using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using F = PortalApp.Features.Import.ImportFields;

namespace PortalApp.Features.Import;

/// <summary>What appointment rows are matched against, loaded once per import.</summary>
internal sealed class AppointmentLookups
{
    public sealed record Match(int Id, AppointmentValues Values);

    private Dictionary<string, int> _clientsById = [];
    private ILookup<string, int> _clientsByPerson = null!;
    private Dictionary<string, Practitioner> _practitioners = [];
    private Dictionary<string, AppointmentType> _types = [];
    private Dictionary<string, Match> _byExternalId = [];
    private Dictionary<(int, int, DateTime), Match> _bySlot = [];

    /// <summary>False when the clinic has no bookings yet: rows then only need checking against each other.</summary>
    public bool AnyBookings { get; private set; }

    public static async Task<AppointmentLookups> LoadAsync(PortalDbContext db, CancellationToken ct)
    {
        var clients = await db.Clients.AsNoTracking()
            .Select(c => new { c.Id, c.ExternalId, c.FirstName, c.LastName, c.DateOfBirth, c.MergedIntoClientId }).ToListAsync(ct);
        // A merged-away card sends its appointments to the card it was merged into.
        var survivor = clients.ToDictionary(c => c.Id, c => c.MergedIntoClientId ?? c.Id);
        var existing = await db.Appointments.AsNoTracking()
            .Select(a => new Match(a.Id, new AppointmentValues(a.ExternalId, a.ClientId, a.PractitionerId, a.AppointmentTypeId, a.StartUtc, a.EndUtc, a.Location, a.IsVideo, a.Status, a.CancelReason)))
            .ToListAsync(ct);
        return new AppointmentLookups
        {
            _clientsById = clients.Where(c => c.ExternalId != null).ToDictionary(c => c.ExternalId!, c => survivor[c.Id], StringComparer.OrdinalIgnoreCase),
            _clientsByPerson = clients.Where(c => c.MergedIntoClientId == null).ToLookup(c => ClientImport.PersonKey(c.FirstName, c.LastName, c.DateOfBirth), c => c.Id),
            _practitioners = (await db.Practitioners.AsNoTracking().ToListAsync(ct)).DistinctBy(p => ImportFields.Key(p.DisplayName)).ToDictionary(p => ImportFields.Key(p.DisplayName)),
            _types = (await db.AppointmentTypes.AsNoTracking().ToListAsync(ct)).DistinctBy(t => ImportFields.Key(t.Name)).ToDictionary(t => ImportFields.Key(t.Name)),
            _byExternalId = existing.Where(m => m.Values.ExternalId != null).ToDictionary(m => m.Values.ExternalId!, StringComparer.OrdinalIgnoreCase),
            _bySlot = existing.DistinctBy(Slot).ToDictionary(Slot),
            AnyBookings = existing.Count > 0,
        };
    }

    private static (int, int, DateTime) Slot(Match m) => (m.Values.ClientId, m.Values.PractitionerId, m.Values.StartUtc);

    public Match? Existing(AppointmentValues a) =>
        a.ExternalId is { } id ? _byExternalId.GetValueOrDefault(id) : _bySlot.GetValueOrDefault((a.ClientId, a.PractitionerId, a.StartUtc));

    public string PractitionerName(int id) => _practitioners.Values.FirstOrDefault(p => p.Id == id)?.DisplayName ?? "the practitioner";

    public (int? ClientId, string? Problem) Client(ImportRow row, DateFormat format)
    {
        if (row.Text(F.AppointmentClientId) is { } id)
            return _clientsById.TryGetValue(id, out var byId) ? (byId, null) : (null, $"No client has Client ID {id}: import the clients first.");
        var (first, last, dobText) = (row.Text(F.ClientFirstName), row.Text(F.ClientLastName), row.Text(F.ClientDateOfBirth));
        if (first is null || last is null || dobText is null)
            return (null, "Give the Client ID, or the client's first name, last name and date of birth.");
        if (!ImportDates.TryDate(dobText, format, out var dob))
            return (null, $"The client's date of birth \"{dobText}\" is not a date written {ImportDates.Label(format)}.");
        var found = _clientsByPerson[ClientImport.PersonKey(first, last, dob)].ToList();
        return found.Count switch
        {
            1 => (found[0], null),
            0 => (null, "No client has this name and date of birth: import the clients first, or check the spelling."),
            var n => (null, $"{n} clients have this name and date of birth: add the Client ID to say which one."),
        };
    }

    public Practitioner? Practitioner(string name) => _practitioners.GetValueOrDefault(ImportFields.Key(name));
    public AppointmentType? Type(string name) => _types.GetValueOrDefault(ImportFields.Key(name));
}

internal static class AppointmentRowReader
{
    /// <summary>A row as the booking form would take it, or why not.</summary>
    public static (AppointmentValues? Values, string? Problem) Read(ImportRow row, DateFormat format, ImportContext context, AppointmentLookups lookups)
    {
        var externalId = row.Optional(F.AppointmentId, 100, out var problem);
        if (problem is not null)
            return (null, problem);
        var (clientId, clientProblem) = lookups.Client(row, format);
        if (clientId is null)
            return (null, clientProblem);
        var practitionerName = row.Text(F.Practitioner);
        if (practitionerName is null)
            return (null, "Enter the practitioner.");
        if (lookups.Practitioner(practitionerName) is not { } practitioner)
            return (null, $"No practitioner is called \"{practitionerName}\". Add the practitioner first, or correct the name.");
        var typeName = row.Text(F.Type);
        if (typeName is null)
            return (null, "Enter the appointment type.");
        if (lookups.Type(typeName) is not { } type)
            return (null, $"No appointment type is called \"{typeName}\". Add the type first, or correct the name.");

        var startText = row.Text(F.Start);
        if (!ImportDates.TryDateTime(startText, format, out var start))
            return (null, startText is null ? "Enter the start date and time." : $"The start \"{startText}\" is not a date written {ImportDates.Label(format)} followed by a time such as 09:30.");
        if (ClinicTime.ToUtc(start, context.Zone) is ClinicTime.Conversion.Skipped skipped)
            return (null, skipped.Message);
        var (end, endProblem) = End(row, start, type, format);
        if (endProblem is not null)
            return (null, endProblem);
        var minutes = (end - start).TotalMinutes;
        if (minutes < AppointmentType.MinLengthMinutes || minutes > AppointmentType.MaxLengthMinutes)
            return (null, $"An appointment lasts {AppointmentType.MinLengthMinutes} to {AppointmentType.MaxLengthMinutes} minutes; this one lasts {minutes:0}.");
        if (ClinicTime.ToUtc(end, context.Zone) is ClinicTime.Conversion.Skipped endSkipped)
            return (null, endSkipped.Message);

        if (!TryVideo(row.Text(F.Video), type.IsVideo, out var video))
            return (null, $"Video is \"{row.Text(F.Video)}\": write yes or no.");
        var location = row.Optional(F.Location, 150, out problem);
        var statusText = row.Text(F.Status);
        if (!TryStatus(statusText, out var status))
            return (null, $"The status \"{statusText}\" is not one of Booked, Arrived, Completed, Cancelled, No show.");
        var reason = problem is null ? row.Optional(F.CancelReason, 300, out problem) : null;
        if (problem is not null)
            return (null, problem);
        var startUtc = ((ClinicTime.Conversion.Ok)ClinicTime.ToUtc(start, context.Zone)).Utc;
        var endUtc = ((ClinicTime.Conversion.Ok)ClinicTime.ToUtc(end, context.Zone)).Utc;
        return (new AppointmentValues(externalId, clientId.Value, practitioner.Id, type.Id, startUtc, endUtc,
            video ? "" : location ?? "", video, status, status == AppointmentStatus.Cancelled ? reason : null), null);
    }

    /// <summary>The End column (a date and time, or a time on the start's day), else Length (minutes), else the type's usual length.</summary>
    private static (DateTime End, string? Problem) End(ImportRow row, DateTime start, AppointmentType type, DateFormat format)
    {
        if (row.Text(F.End) is { } endText)
        {
            if (ImportDates.TryDateTime(endText, format, out var end))
                return (end, null);
            if (TimeOnly.TryParse(endText, System.Globalization.CultureInfo.InvariantCulture, out var time))
                return (DateOnly.FromDateTime(start).ToDateTime(time), null);
            return (default, $"The end \"{endText}\" is not a time such as 10:00.");
        }
        if (row.Text(F.Length) is { } lengthText)
            return int.TryParse(lengthText, out var minutes) && minutes is > 0 and < 100_000
                ? (start.AddMinutes(minutes), null)
                : (default, $"The length \"{lengthText}\" is not a number of minutes.");
        return (start.AddMinutes(type.DefaultLengthMinutes), null);
    }

    private static bool TryVideo(string? text, bool typeDefault, out bool video)
    {
        video = typeDefault;
        switch (ImportFields.Key(text ?? ""))
        {
            case "":
                return true;
            case "yes" or "y" or "true" or "1" or "oui" or "video":
                video = true;
                return true;
            case "no" or "n" or "false" or "0" or "non" or "in person":
                video = false;
                return true;
            default:
                return false;
        }
    }

    private static bool TryStatus(string? text, out AppointmentStatus status)
    {
        status = AppointmentStatus.Booked;
        var key = ImportFields.Key(text ?? "").Replace(" ", "");
        if (key is "" or "booked" or "scheduled" or "confirmed")
            return true;
        if (key is "canceled")
            key = "cancelled";
        return Enum.TryParse(key, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(key, out _);
    }
}
