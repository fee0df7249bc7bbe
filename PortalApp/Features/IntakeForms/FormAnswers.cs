using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortalApp.Features.IntakeForms;

/// <summary>The consent item's signature: the box ticked, the full name typed, and when the server received it.</summary>
public sealed record ConsentSignature(bool Agreed, string FullName, DateTime SignedAtUtc);

/// <summary>
/// One item's answer. <see cref="Values"/> are written invariantly in the item's type: integers "12", decimals "12.5",
/// dates "2026-03-07", booleans "true"/"false", choices the option's code.
/// </summary>
public sealed record FormAnswer(IReadOnlyList<string> Values, string? OtherText = null, ConsentSignature? Consent = null, int? AttachmentId = null)
{
    public static FormAnswer Of(params string[] values) => new(values);

    [JsonIgnore]
    public bool IsEmpty => Values.All(string.IsNullOrWhiteSpace) && string.IsNullOrWhiteSpace(OtherText) && Consent is null && AttachmentId is null;
}

/// <summary>A form's answers by LinkId, as stored in drafts and responses.</summary>
public sealed class FormAnswers
{
    public static readonly FormAnswers Empty = new(new Dictionary<string, FormAnswer>());

    public FormAnswers(IReadOnlyDictionary<string, FormAnswer> byLinkId) => ByLinkId = byLinkId;

    public IReadOnlyDictionary<string, FormAnswer> ByLinkId { get; }

    public FormAnswer? this[string linkId] => ByLinkId.GetValueOrDefault(linkId);

    public string ToJson() => JsonSerializer.Serialize(ByLinkId, FormJson.Options);

    /// <summary>Reads stored or posted answers, bounded by <see cref="FormJson.MaxAnswersJsonBytes"/> and <see cref="FormLimits"/>.</summary>
    public static JsonRead<FormAnswers> FromJson(string? json)
    {
        var read = FormJson.Read<Dictionary<string, FormAnswer>>(json, FormJson.MaxAnswersJsonBytes, "set of answers");
        if (read is not JsonRead<Dictionary<string, FormAnswer>>.Read { Value: var answers })
            return new JsonRead<FormAnswers>.Unreadable(((JsonRead<Dictionary<string, FormAnswer>>.Unreadable)read).Reason);
        if (answers.Count > FormLimits.MaxItems)
            return new JsonRead<FormAnswers>.Unreadable($"The answers cover {answers.Count} questions; a form has at most {FormLimits.MaxItems}.");
        foreach (var (linkId, answer) in answers)
        {
            // System.Text.Json leaves a missing list null whatever the record says.
            if (answer?.Values is null)
                return new JsonRead<FormAnswers>.Unreadable($"The answer to '{Clip(linkId)}' has no values list.");
            if (answer.Values.Count > FormLimits.MaxAnswersPerItem)
                return new JsonRead<FormAnswers>.Unreadable($"The answer to '{Clip(linkId)}' has {answer.Values.Count} values; the most is {FormLimits.MaxAnswersPerItem}.");
            if (answer.Values.Any(v => v is null || v.Length > FormLimits.MaxAnswerLength) || answer.OtherText?.Length > FormLimits.MaxAnswerLength)
                return new JsonRead<FormAnswers>.Unreadable($"An answer to '{Clip(linkId)}' is longer than {FormLimits.MaxAnswerLength:N0} characters.");
        }
        return new JsonRead<FormAnswers>.Read(new FormAnswers(answers));
    }

    private static string Clip(string linkId) => linkId.Length > FormLimits.MaxLinkIdLength ? linkId[..FormLimits.MaxLinkIdLength] + "…" : linkId;
}
