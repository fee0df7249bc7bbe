using System.Text;
using PortalApp.Data;
using PortalApp.Features.Import;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// CSV files as clinics bring them. <see cref="WindowsClients"/> is the 200-client Windows-1252 export (French accents,
/// Excel's "CSV" on Windows) with a few bad rows that the import tests and the lead's journey use.
/// </summary>
public static class ClinicCsv
{
    public const string ClientHeader = "Patient ID,Prénom,Nom,Date of birth,E-mail,Cell,Adresse,Ville,Province,Code postal,Langue";

    static ClinicCsv() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    private static readonly string[] FirstNames = ["Amélie", "François", "Chloé", "Jérôme", "Hélène", "Noël", "Benoît", "Zoé", "Gaëlle", "Loïc"];
    private static readonly string[] LastNames = ["Côté", "Gagné", "Bélanger", "Lévesque", "Pelletier", "Bouchard", "Fortin", "Ouellette", "Després", "Thériault"];

    /// <summary>The generated file and the lines (as a spreadsheet numbers them, header = 1) that must be refused, with why.</summary>
    public sealed record Generated(byte[] Bytes, int ValidRows, IReadOnlyDictionary<int, string> BadLines);

    /// <param name="count">Rows in the file, bad ones included.</param>
    public static Generated WindowsClients(int count = 200)
    {
        var text = new StringBuilder(ClientHeader).Append("\r\n");
        var bad = new Dictionary<int, string>();
        for (var i = 1; i <= count; i++)
        {
            var line = i + 1;
            var (first, last) = (FirstNames[i % FirstNames.Length], LastNames[i / FirstNames.Length % LastNames.Length]);
            var dob = new DateOnly(1950, 1, 1).AddDays(i * 97);
            var email = $"patient{i}@example.com";
            var phone = $"(514) 555-{i % 10_000:0000}";
            if (i == 17) { dob = default; bad[line] = "Enter the date of birth."; }
            if (i == 42) { email = "not-an-email"; bad[line] = "email"; }
            if (i == 99) { phone = "555"; bad[line] = "phone number"; }
            if (i == 150) { first = ""; bad[line] = "Enter the first name."; }
            var dobText = dob == default ? "" : dob.ToString("yyyy-MM-dd");
            text.Append($"CHART-{i:0000},{first},{last},{dobText},{email},{phone},\"{i} rue Saint-Hubert, app. {i % 7}\",Montréal,QC,H2X 1Y{i % 10},Français\r\n");
        }
        return new Generated(Windows1252.GetBytes(text.ToString()), count - bad.Count, bad);
    }

    public static byte[] Utf8(string text, bool bom = false) =>
        bom ? [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)] : Encoding.UTF8.GetBytes(text);

    public static CsvTable Read(string text, string fileName = "test.csv") => Read(Utf8(text), fileName);

    public static CsvTable Read(byte[] bytes, string fileName = "test.csv") =>
        CsvFile.Parse(fileName, bytes) is CsvReadResult.Read read ? read.Table : throw new InvalidOperationException("The test file did not read.");

    /// <summary>A request with the columns matched from the header, as the page does before staff change anything.</summary>
    public static ImportRequest Request(ImportKind kind, CsvTable table, DateFormat format = DateFormat.IsoYearMonthDay, bool validRowsOnly = false) =>
        new(kind, table, ImportFields.AutoMap(kind, table.Headers), format, validRowsOnly);
}
