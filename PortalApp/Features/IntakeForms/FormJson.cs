using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortalApp.Features.IntakeForms;

/// <summary>A stored or posted JSON text: read, or refused with a reason a person can act on (never an exception).</summary>
public abstract record JsonRead<T>
{
    public sealed record Read(T Value) : JsonRead<T>;

    public sealed record Unreadable(string Reason) : JsonRead<T>;
}

/// <summary>
/// How definitions and answers are written to the database: System.Text.Json, enums by name, camelCase, nulls left out.
/// One set of options, so the same definition always gives the same text (a version's SHA-256 depends on it).
/// </summary>
public static class FormJson
{
    /// <summary>Answers to a 500-question form at a few hundred characters each fit well inside this.</summary>
    public const int MaxAnswersJsonBytes = 2 * 1024 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Items nest at most FormLimits.MaxDepth deep, each level two JSON levels: anything deeper is not ours.
        MaxDepth = 24,
    };

    public static string Serialize(FormDefinition definition) => JsonSerializer.Serialize(definition, Options);

    public static string Sha256(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    public static JsonRead<FormDefinition> ReadDefinition(string? json) =>
        Read<FormDefinition>(json, FormLimits.MaxDefinitionJsonBytes, "form");

    internal static JsonRead<T> Read<T>(string? json, int maxBytes, string what) where T : class
    {
        if (string.IsNullOrWhiteSpace(json))
            return new JsonRead<T>.Unreadable($"The {what} is empty.");
        // Counting characters first avoids encoding a huge text only to refuse it; UTF-8 is at least one byte each.
        if (json.Length > maxBytes || Encoding.UTF8.GetByteCount(json) > maxBytes)
            return new JsonRead<T>.Unreadable($"The {what} is larger than {maxBytes / 1024 / 1024} MB, the most PortalApp accepts.");
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) is { } value
                ? new JsonRead<T>.Read(value)
                : new JsonRead<T>.Unreadable($"The {what} is empty.");
        }
        catch (JsonException ex)
        {
            // The parser's message names the line and position; it never echoes the content.
            return new JsonRead<T>.Unreadable($"The {what} could not be read: {ex.Message}");
        }
    }
}
