using System.Text;
using CsvHelper;

namespace PortalApp.Features.Import;

/// <summary>One row of an uploaded file: its line in the file (what staff see in a spreadsheet) and its values.</summary>
public sealed record CsvRow(int Line, string[] Values)
{
    public string? this[int column] => column >= 0 && column < Values.Length ? Values[column] : null;
}

/// <summary>An uploaded CSV file, read and bounded, held until staff import it or leave the page.</summary>
public sealed record CsvTable(string FileName, string EncodingName, char Separator, IReadOnlyList<string> Headers, IReadOnlyList<CsvRow> Rows);

public abstract record CsvReadResult
{
    public sealed record Read(CsvTable Table) : CsvReadResult;
    public sealed record Refused(string Message) : CsvReadResult;
}

/// <summary>
/// Reads an uploaded CSV with CsvHelper: UTF-8 (with or without BOM) when the bytes are valid UTF-8, else Windows-1252,
/// which is what Excel writes on a French or English Windows. Bounded in bytes, rows and field length.
/// </summary>
public static class CsvFile
{
    public const long MaxBytes = 20L * 1024 * 1024;
    public const int MaxRows = 200_000;
    public const int MaxFieldLength = 1_000;
    public const int MaxColumns = 100;

    public static string MaxSizeText => $"{MaxBytes / 1024 / 1024} MB";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static CsvFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Reads at most <see cref="MaxBytes"/> + 1 bytes: a bigger file is refused without reading the rest.</summary>
    public static async Task<CsvReadResult> ReadAsync(string fileName, Stream input, CancellationToken ct = default)
    {
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await input.ReadAsync(buffer.AsMemory(length), ct)) > 0)
            length += read;
        if (length > MaxBytes)
            return TooBig;
        return Parse(fileName, buffer.AsSpan(0, length));
    }

    public static CsvReadResult TooBig => new CsvReadResult.Refused($"This file is larger than {MaxSizeText}. Split it into smaller files and import them one after the other.");

    public static CsvReadResult Parse(string fileName, ReadOnlySpan<byte> bytes)
    {
        var (text, encodingName) = Decode(bytes);
        if (text.Length == 0)
            return new CsvReadResult.Refused("This file is empty.");
        try
        {
            using var reader = CsvReader.FromText(text, CsvReaderOptions.Default with { TrackLineNumbers = true, MalformedData = CsvMalformedDataHandling.Throw });
            reader.ReadHeader();
            if (reader.Headers.Count == 0 || reader.Headers.All(string.IsNullOrWhiteSpace))
                return new CsvReadResult.Refused("This file has no header row. The first line must name the columns, e.g. First name,Last name,Date of birth.");
            var headers = reader.Headers.Select(h => h.Trim()).ToArray();
            if (headers.Length > MaxColumns)
                return new CsvReadResult.Refused($"This file has {headers.Length} columns; an import reads at most {MaxColumns}.");
            var rows = new List<CsvRow>();
            while (reader.Read())
            {
                if (rows.Count == MaxRows)
                    return new CsvReadResult.Refused($"This file has more than {MaxRows:N0} rows. Split it into smaller files and import them one after the other.");
                var line = (int)reader.LineNumber;
                var values = new string[Math.Min(reader.FieldCount, MaxColumns)];
                for (var i = 0; i < values.Length; i++)
                {
                    var value = reader.GetString(i) ?? "";
                    if (value.Length > MaxFieldLength)
                        return new CsvReadResult.Refused($"Line {line}, column {i + 1}: a value is longer than {MaxFieldLength:N0} characters. Check that the file is a CSV export.");
                    values[i] = Unescape(value.Trim());
                }
                if (values.All(v => v.Length == 0))
                    continue;
                rows.Add(new CsvRow(line, values));
            }
            if (rows.Count == 0)
                return new CsvReadResult.Refused("This file has a header row but no rows to import.");
            return new CsvReadResult.Read(new CsvTable(Path.GetFileName(fileName), encodingName, reader.Separator, headers, rows));
        }
        catch (CsvFormatException)
        {
            return new CsvReadResult.Refused("This file is not a readable CSV file (a quote is not closed, or the rows are malformed). Save it from your spreadsheet as CSV and try again.");
        }
    }

    /// <summary>Valid UTF-8 is UTF-8 (a BOM is dropped); anything else is Windows-1252, where every byte is a character.</summary>
    public static (string Text, string EncodingName) Decode(ReadOnlySpan<byte> bytes)
    {
        var bom = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        var body = bom ? bytes[3..] : bytes;
        try
        {
            return (StrictUtf8.GetString(body), bom ? "UTF-8 (with BOM)" : "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            return (Encoding.GetEncoding(1252).GetString(bytes), "Windows-1252");
        }
    }

    /// <summary>
    /// Our export (like the audit export) puts ' before a value starting with = + - @ so a spreadsheet does not run it
    /// as a formula; reading it back takes the ' off again, so "+14165550101" survives the round trip.
    /// </summary>
    private static string Unescape(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' ? value[1..] : value;
}
