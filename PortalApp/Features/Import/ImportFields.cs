using System.Globalization;
using System.Text;
using PortalApp.Data;

namespace PortalApp.Features.Import;

/// <summary>A field an import fills: its name on the page (also the export's column header) and the headers that mean it.</summary>
public sealed record ImportField(string Name, bool Required, params string[] Aliases);

/// <summary>The columns each import reads and each export writes, and how a file's headers are matched to them.</summary>
public static class ImportFields
{
    public static readonly ImportField ClientId = new("Client ID", false, "Patient ID", "External ID", "Chart #", "Chart number", "Chart no", "Record number", "MRN", "ID");
    public static readonly ImportField FirstName = new("First name", true, "First", "Given name", "Forename", "Prénom", "Prenom");
    public static readonly ImportField LastName = new("Last name", true, "Last", "Surname", "Family name", "Nom", "Nom de famille");
    public static readonly ImportField PreferredName = new("Preferred name", false, "Nickname", "Known as", "Nom préféré");
    public static readonly ImportField DateOfBirth = new("Date of birth", true, "DOB", "Birthdate", "Birth date", "Birthday", "Date de naissance", "DDN");
    public static readonly ImportField Email = new("Email", false, "E-mail", "Email address", "Courriel");
    public static readonly ImportField Mobile = new("Mobile phone", false, "Mobile", "Cell", "Cell phone", "Cellphone", "Phone", "Phone number", "Téléphone", "Cellulaire");
    public static readonly ImportField Street = new("Street address", false, "Address", "Street", "Address 1", "Adresse");
    public static readonly ImportField City = new("City", false, "Town", "Ville");
    public static readonly ImportField Province = new("Province", false, "State", "Province/State", "Region");
    public static readonly ImportField PostalCode = new("Postal code", false, "Postcode", "Zip", "Zip code", "Code postal");
    public static readonly ImportField Language = new("Preferred language", false, "Language", "Langue");
    public static readonly ImportField EndDate = new("End date", false, "Inactive since", "Date de fin");

    public static readonly ImportField AppointmentId = new("Appointment ID", false, "Booking ID", "Visit ID", "ID");
    public static readonly ImportField AppointmentClientId = ClientId with { Aliases = [.. ClientId.Aliases.Where(a => a != "ID")] };
    public static readonly ImportField ClientFirstName = FirstName with { Name = "Client first name", Required = false, Aliases = [FirstName.Name, .. FirstName.Aliases] };
    public static readonly ImportField ClientLastName = LastName with { Name = "Client last name", Required = false, Aliases = [LastName.Name, .. LastName.Aliases] };
    public static readonly ImportField ClientDateOfBirth = DateOfBirth with { Name = "Client date of birth", Required = false, Aliases = [DateOfBirth.Name, .. DateOfBirth.Aliases] };
    public static readonly ImportField Practitioner = new("Practitioner", true, "Provider", "Doctor", "Therapist", "Staff", "Praticien", "Intervenant");
    public static readonly ImportField Type = new("Appointment type", true, "Type", "Service", "Visit type", "Treatment");
    public static readonly ImportField Start = new("Start", true, "Start time", "Starts", "Date and time", "Appointment date", "Début");
    public static readonly ImportField End = new("End", false, "End time", "Ends", "Fin");
    public static readonly ImportField Length = new("Length (minutes)", false, "Length", "Duration", "Minutes", "Durée");
    public static readonly ImportField Location = new("Location", false, "Room", "Salle");
    public static readonly ImportField Video = new("Video", false, "Online", "Virtual", "Vidéo");
    public static readonly ImportField Status = new("Status", false, "State", "Statut");
    public static readonly ImportField CancelReason = new("Cancel reason", false, "Cancellation reason", "Raison");

    public static IReadOnlyList<ImportField> Clients { get; } =
        [ClientId, FirstName, LastName, PreferredName, DateOfBirth, Email, Mobile, Street, City, Province, PostalCode, Language, EndDate];

    public static IReadOnlyList<ImportField> Appointments { get; } =
        [AppointmentId, AppointmentClientId, ClientFirstName, ClientLastName, ClientDateOfBirth, Practitioner, Type, Start, End, Length, Location, Video, Status, CancelReason];

    public static IReadOnlyList<ImportField> For(ImportKind kind) => kind == ImportKind.Clients ? Clients : Appointments;

    /// <summary>Each field's column in the file (by name, then by alias), with no column used twice.</summary>
    public static Dictionary<string, int> AutoMap(ImportKind kind, IReadOnlyList<string> headers)
    {
        var keys = headers.Select(Key).ToArray();
        var map = new Dictionary<string, int>();
        var used = new HashSet<int>();
        foreach (var pass in new Func<ImportField, IEnumerable<string>>[] { f => [f.Name], f => f.Aliases })
        {
            foreach (var field in For(kind).Where(f => !map.ContainsKey(f.Name)))
            {
                var column = pass(field).Select(Key).Select(k => Array.FindIndex(keys, h => h == k)).FirstOrDefault(i => i >= 0 && !used.Contains(i), -1);
                if (column >= 0)
                {
                    map[field.Name] = column;
                    used.Add(column);
                }
            }
        }
        return map;
    }

    /// <summary>What is missing from a mapping before rows can be read; null when it is complete.</summary>
    public static string? MappingProblem(ImportKind kind, IReadOnlyDictionary<string, int> map, int columnCount)
    {
        if (map.Values.Any(c => c < 0 || c >= columnCount))
            return "A field is mapped to a column the file does not have.";
        if (map.Values.Distinct().Count() != map.Count)
            return "Two fields are mapped to the same column: map each column once.";
        var missing = For(kind).Where(f => f.Required && !map.ContainsKey(f.Name)).Select(f => f.Name).ToList();
        if (missing.Count > 0)
            return $"Choose the column for {string.Join(", ", missing)}.";
        if (kind == ImportKind.Appointments && !map.ContainsKey(AppointmentClientId.Name)
            && !(map.ContainsKey(ClientFirstName.Name) && map.ContainsKey(ClientLastName.Name) && map.ContainsKey(ClientDateOfBirth.Name)))
            return "Choose the column for Client ID, or for Client first name, Client last name and Client date of birth, so each appointment finds its client.";
        return null;
    }

    /// <summary>"First_Name", "first name", "FIRST-NAME" and "Prénom"/"Prenom" all match.</summary>
    public static string Key(string header)
    {
        var decomposed = header.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var key = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            key.Append(c is '_' or '-' or '.' ? ' ' : c);
        }
        return string.Join(' ', key.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
