namespace PortalApp.Features.IntakeForms.Builder;

/// <summary>The question types as the builder names them: one FHIR item type, plus <c>repeats</c> for multiple choice.</summary>
public enum QuestionKind
{
    ShortText,
    LongText,
    WholeNumber,
    DecimalNumber,
    Date,
    YesNo,
    SingleChoice,
    MultipleChoice,
    ChoiceWithOther,
    Consent,
    Attachment,
    DisplayText,
    Group,
}

public static class QuestionKinds
{
    public static readonly IReadOnlyList<QuestionKind> All = Enum.GetValues<QuestionKind>();

    public static string Name(QuestionKind kind) => kind switch
    {
        QuestionKind.ShortText => "Short text",
        QuestionKind.LongText => "Long text",
        QuestionKind.WholeNumber => "Whole number",
        QuestionKind.DecimalNumber => "Decimal number",
        QuestionKind.Date => "Date",
        QuestionKind.YesNo => "Yes/No",
        QuestionKind.SingleChoice => "Single choice",
        QuestionKind.MultipleChoice => "Multiple choice",
        QuestionKind.ChoiceWithOther => "Choice with \"Other\"",
        QuestionKind.Consent => "Consent",
        QuestionKind.Attachment => "Attachment",
        QuestionKind.DisplayText => "Display text",
        QuestionKind.Group => "Group",
        _ => kind.ToString(),
    };

    public static QuestionKind Of(FormItem item) => item.Type switch
    {
        FormItemType.String => QuestionKind.ShortText,
        FormItemType.Text => QuestionKind.LongText,
        FormItemType.Integer => QuestionKind.WholeNumber,
        FormItemType.Decimal => QuestionKind.DecimalNumber,
        FormItemType.Date => QuestionKind.Date,
        FormItemType.Boolean => QuestionKind.YesNo,
        FormItemType.Choice => item.Repeats ? QuestionKind.MultipleChoice : QuestionKind.SingleChoice,
        FormItemType.OpenChoice => QuestionKind.ChoiceWithOther,
        FormItemType.Consent => QuestionKind.Consent,
        FormItemType.Attachment => QuestionKind.Attachment,
        FormItemType.Display => QuestionKind.DisplayText,
        _ => QuestionKind.Group,
    };

    /// <summary>The item as the new kind; what the new kind cannot use (options on a date) stays, harmless, so switching back keeps it.</summary>
    public static FormItem Apply(FormItem item, QuestionKind kind) => item with
    {
        Type = kind switch
        {
            QuestionKind.ShortText => FormItemType.String,
            QuestionKind.LongText => FormItemType.Text,
            QuestionKind.WholeNumber => FormItemType.Integer,
            QuestionKind.DecimalNumber => FormItemType.Decimal,
            QuestionKind.Date => FormItemType.Date,
            QuestionKind.YesNo => FormItemType.Boolean,
            QuestionKind.SingleChoice or QuestionKind.MultipleChoice => FormItemType.Choice,
            QuestionKind.ChoiceWithOther => FormItemType.OpenChoice,
            QuestionKind.Consent => FormItemType.Consent,
            QuestionKind.Attachment => FormItemType.Attachment,
            QuestionKind.DisplayText => FormItemType.Display,
            _ => FormItemType.Group,
        },
        Repeats = kind == QuestionKind.MultipleChoice,
    };

    public static bool HasOptions(FormItemType type) => type is FormItemType.Choice or FormItemType.OpenChoice;
    public static bool HasMaxLength(FormItemType type) => type is FormItemType.String or FormItemType.Text;

    /// <summary>Items that take an answer, so a show/hide rule can refer to them.</summary>
    public static bool IsAnswerable(FormItemType type) => type is not (FormItemType.Display or FormItemType.Group or FormItemType.Attachment);
}
