using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace PortalApp.Infrastructure.MigrateToPostgres;

public enum ColumnKind
{
    Int32,
    Int64,
    Boolean,
    Text,
    Json,
    Bytes,
    Date,
    Timestamp,
    TimestampWithOffset,
    Decimal,
}

/// <summary>
/// Reads a value the same way from either database, writes it to PostgreSQL, and feeds it to a checksum. Values are
/// normalised where the providers store them differently: times as UTC to the microsecond (PostgreSQL keeps no
/// finer, and Npgsql drops the last digit of SQLite's 100 ns when it writes), booleans as 0/1 whatever SQLite holds, JSON with its keys in order (jsonb
/// reorders them).
/// </summary>
public static class ColumnValues
{
    public static object? Read(DbDataReader reader, int ordinal, ColumnKind kind)
    {
        if (reader.IsDBNull(ordinal))
            return null;
        return kind switch
        {
            ColumnKind.Int32 => reader.GetInt32(ordinal),
            ColumnKind.Int64 => reader.GetInt64(ordinal),
            ColumnKind.Boolean => reader.GetBoolean(ordinal),
            ColumnKind.Text or ColumnKind.Json => reader.GetString(ordinal),
            ColumnKind.Bytes => reader.GetFieldValue<byte[]>(ordinal),
            ColumnKind.Date => reader.GetFieldValue<DateOnly>(ordinal),
            // The model stores every DateTime as UTC (PortalDbContext's converter); SQLite's text carries no kind.
            ColumnKind.Timestamp => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc),
            ColumnKind.TimestampWithOffset => reader.GetFieldValue<DateTimeOffset>(ordinal).ToUniversalTime(), // Npgsql writes offset 0 only
            ColumnKind.Decimal => reader.GetDecimal(ordinal), // SQLite keeps decimals as text; both readers parse them invariantly
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    public static Task WriteAsync(NpgsqlBinaryImporter importer, object? value, ColumnKind kind, CancellationToken ct) => value switch
    {
        null => importer.WriteNullAsync(ct),
        int v => importer.WriteAsync(v, "integer", ct),
        long v => importer.WriteAsync(v, "bigint", ct),
        bool v => importer.WriteAsync(v, "boolean", ct),
        string v => importer.WriteAsync(v, kind == ColumnKind.Json ? "jsonb" : "text", ct),
        byte[] v => importer.WriteAsync(v, "bytea", ct),
        DateOnly v => importer.WriteAsync(v, "date", ct),
        DateTime v => importer.WriteAsync(v, "timestamp with time zone", ct),
        DateTimeOffset v => importer.WriteAsync(v, "timestamp with time zone", ct),
        decimal v => importer.WriteAsync(v, "numeric", ct),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "A value the copy does not handle."),
    };

    /// <summary>Adds one value to a table's checksum: a marker for null, else a tag and the normalised bytes.</summary>
    public static void Hash(IncrementalHash hash, object? value, ColumnKind kind)
    {
        Span<byte> buffer = stackalloc byte[9];
        switch (value)
        {
            case null:
                hash.AppendData([0]);
                return;
            case int or long:
                buffer[0] = 1;
                BinaryPrimitives.WriteInt64LittleEndian(buffer[1..], Convert.ToInt64(value));
                break;
            case bool b:
                buffer[0] = 2;
                BinaryPrimitives.WriteInt64LittleEndian(buffer[1..], b ? 1 : 0);
                break;
            case DateOnly d:
                buffer[0] = 3;
                BinaryPrimitives.WriteInt64LittleEndian(buffer[1..], d.DayNumber);
                break;
            case DateTime t:
                buffer[0] = 4;
                BinaryPrimitives.WriteInt64LittleEndian(buffer[1..], t.ToUniversalTime().Ticks / 10);
                break;
            case DateTimeOffset t:
                buffer[0] = 4;
                BinaryPrimitives.WriteInt64LittleEndian(buffer[1..], t.UtcTicks / 10);
                break;
            case string s:
                AppendWithLength(hash, 5, Encoding.UTF8.GetBytes(kind == ColumnKind.Json ? CanonicalJson(s) : s));
                return;
            case byte[] bytes:
                AppendWithLength(hash, 6, bytes);
                return;
            case decimal d:
                // Dividing by 1.000… drops trailing zeros: SQLite's "12.5" and PostgreSQL's numeric 12.50 hash alike.
                AppendWithLength(hash, 7, Encoding.UTF8.GetBytes((d / 1.0000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "A value the copy does not handle.");
        }
        hash.AppendData(buffer);
    }

    private static void AppendWithLength(IncrementalHash hash, byte tag, byte[] bytes)
    {
        Span<byte> header = stackalloc byte[5];
        header[0] = tag;
        BinaryPrimitives.WriteInt32LittleEndian(header[1..], bytes.Length);
        hash.AppendData(header);
        hash.AppendData(bytes);
    }

    /// <summary>The same text for the same JSON: keys sorted, no spaces, numbers as their value (jsonb keeps neither order nor layout).</summary>
    private static string CanonicalJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            WriteCanonical(writer, document.RootElement);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValueKind.Number when element.TryGetDecimal(out var number):
                writer.WriteNumberValue(number);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
