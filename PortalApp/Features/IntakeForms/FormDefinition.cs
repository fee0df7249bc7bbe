namespace PortalApp.Features.IntakeForms;

/// <summary>
/// What a form asks, shaped as an HL7 FHIR R4 Questionnaire (docs/decisions/0015): items with stable link ids, FHIR's
/// item types, answer options and enableWhen rules. A published version stores this as JSON and never changes, so a
/// response is always read against the questions it answered. Top-level groups are the sections a phone shows one at a time.
/// </summary>
public sealed record FormDefinition(string Title, string? Description, IReadOnlyList<FormItem> Items);

/// <summary>One question, text or group. <see cref="LinkId"/> is stable across versions: it is how answers are matched.</summary>
public sealed record FormItem
{
    public required string LinkId { get; init; }
    public required FormItemType Type { get; init; }

    /// <summary>The question as the patient reads it (for display items: the text itself).</summary>
    public required string Text { get; init; }

    public string? Help { get; init; }
    public bool Required { get; init; }

    /// <summary>Filled in by the clinic only: never shown to the patient, never accepted from the patient's post.</summary>
    public bool StaffOnly { get; init; }

    /// <summary>Choice and open-choice: several answers may be picked (FHIR <c>repeats</c>).</summary>
    public bool Repeats { get; init; }

    /// <summary>Single choice shown as radio buttons or as a drop-down.</summary>
    public ChoiceDisplay ChoiceDisplay { get; init; }

    public IReadOnlyList<AnswerOption> Options { get; init; } = [];

    /// <summary>Consent items: the statement the person agrees to, above the "I agree" box and the typed signature.</summary>
    public string? ConsentText { get; init; }

    /// <summary>Short and long text: at most this many characters (the server bound is <see cref="FormLimits.MaxAnswerLength"/>).</summary>
    public int? MaxLength { get; init; }

    public IReadOnlyList<EnableWhen> EnableWhen { get; init; } = [];
    public EnableBehavior EnableBehavior { get; init; }

    /// <summary>Group items only: the questions inside.</summary>
    public IReadOnlyList<FormItem> Items { get; init; } = [];
}

/// <summary>FHIR R4 Questionnaire item types, plus consent (a boolean with a typed signature, exported as a group).</summary>
public enum FormItemType
{
    Display,
    Group,
    String,
    Text,
    Integer,
    Decimal,
    Date,
    Boolean,
    Choice,
    OpenChoice,
    Consent,
    Attachment,
}

public enum ChoiceDisplay
{
    Radio,
    DropDown,
}

/// <param name="Code">What is stored and exported (FHIR <c>valueCoding.code</c>); stable across versions.</param>
/// <param name="Display">What the patient reads.</param>
/// <param name="Score">Adds to the form's total score when picked (PHQ-9's 0 to 3).</param>
public sealed record AnswerOption(string Code, string Display, decimal? Score = null);

/// <summary>FHIR enableWhen: show the item when the answer to <see cref="Question"/> meets the operator.</summary>
/// <param name="Answer">The value compared with, in the question's own type; null for <see cref="EnableOperator.Exists"/>.</param>
public sealed record EnableWhen(string Question, EnableOperator Operator, string? Answer);

public enum EnableOperator
{
    Exists,
    Equals,
    NotEquals,
    GreaterThan,
    LessThan,
    GreaterOrEqual,
    LessOrEqual,
}

/// <summary>With several rules: show when all hold, or when any does (FHIR <c>enableBehavior</c>).</summary>
public enum EnableBehavior
{
    All,
    Any,
}

/// <summary>What a patient's answers and a form's shape may weigh, checked on the server for every post and import.</summary>
public static class FormLimits
{
    public const int MaxItems = 500;
    public const int MaxDepth = 4;
    public const int MaxOptions = 100;
    public const int MaxRulesPerItem = 10;
    public const int MaxTitleLength = 200;
    public const int MaxQuestionTextLength = 2_000;
    public const int MaxConsentTextLength = 20_000;
    public const int MaxLinkIdLength = 64;
    public const int MaxAnswerLength = 10_000;
    public const int MaxAnswersPerItem = 100;
    public const int MaxAttachmentBytes = 10 * 1024 * 1024;
    public const int MaxDefinitionJsonBytes = 2 * 1024 * 1024;
}
