using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using FhirItemType = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType;

namespace PortalApp.Features.IntakeForms;

/// <summary>A FHIR import: the form or answers, or why not (the parser's own message, or the definition's problems).</summary>
public abstract record FhirImport<T>
{
    public sealed record Imported(T Value) : FhirImport<T>;

    public sealed record Refused(string Reason, IReadOnlyList<FormProblem> Problems) : FhirImport<T>;
}

/// <summary>
/// FormDefinition ⇄ FHIR R4 Questionnaire JSON with Firely's Hl7.Fhir.R4 (docs/decisions/0015). Standard FHIR wherever
/// it has the idea: link ids, item types, options, enableWhen, maxLength, the itemControl extension for drop-downs
/// and for help text (a child display item), ordinalValue for option scores. Ours, as extensions: staff-only, and
/// consent, exported as a group of a display (the text), a boolean ("I agree") and a string (the typed name), so any
/// FHIR system can show and fill it.
/// </summary>
public static partial class FhirQuestionnaireMapper
{
    public const string ExtensionBase = "https://portalapp.dev/fhir/StructureDefinition/";
    public const string StaffOnlyUrl = ExtensionBase + "staff-only";
    public const string ConsentUrl = ExtensionBase + "consent";
    public const string SignedAtUrl = ExtensionBase + "consent-signed-at";
    public const string ItemControlUrl = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl";
    public const string OrdinalValueUrl = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
    private const string ItemControlSystem = "http://hl7.org/fhir/questionnaire-item-control";
    private const string HelpSuffix = ".help";
    internal const string AgreeSuffix = ".agree";
    internal const string NameSuffix = ".name";
    private const string ConsentTextSuffix = ".text";

    public static string ToQuestionnaireJson(FormDefinition definition)
    {
        var all = FormItems.InOrder(definition.Items ?? []).ToDictionary(x => x.Item.LinkId, x => x.Item, StringComparer.Ordinal);
        var questionnaire = new Questionnaire
        {
            Status = PublicationStatus.Active,
            Title = definition.Title,
            Description = definition.Description,
            Item = (definition.Items ?? []).Select(i => Export(i, all)).ToList(),
        };
        return new FhirJsonSerializer().SerializeToString(questionnaire);
    }

    private static Questionnaire.ItemComponent Export(FormItem item, IReadOnlyDictionary<string, FormItem> all)
    {
        var fhir = new Questionnaire.ItemComponent
        {
            LinkId = item.LinkId,
            Text = item.Text,
            Type = item.Type switch
            {
                FormItemType.Consent => FhirItemType.Group,
                _ => Enum.Parse<FhirItemType>(item.Type.ToString()),
            },
            Required = item.Required ? true : null,
            Repeats = item.Repeats ? true : null,
            MaxLength = item.MaxLength,
        };
        if (item.StaffOnly)
            fhir.Extension.Add(new Extension(StaffOnlyUrl, new FhirBoolean(true)));
        if (item.Type is FormItemType.Choice or FormItemType.OpenChoice)
            fhir.Extension.Add(new Extension(ItemControlUrl, Control(item.ChoiceDisplay == ChoiceDisplay.DropDown ? "drop-down" : "radio-button")));
        foreach (var option in item.Options ?? [])
        {
            var answer = new Questionnaire.AnswerOptionComponent { Value = new Coding(null, option.Code, option.Display) };
            if (option.Score is { } score)
                answer.Value.Extension.Add(new Extension(OrdinalValueUrl, new FhirDecimal(score)));
            fhir.AnswerOption.Add(answer);
        }
        foreach (var rule in item.EnableWhen ?? [])
        {
            fhir.EnableWhen.Add(new Questionnaire.EnableWhenComponent
            {
                Question = rule.Question,
                Operator = Operators[rule.Operator],
                Answer = rule.Operator == EnableOperator.Exists
                    ? new FhirBoolean(rule.Answer != "false")
                    : TypedValue(all.TryGetValue(rule.Question, out var q) ? q.Type : FormItemType.String, rule.Answer ?? ""),
            });
        }
        if (fhir.EnableWhen.Count > 0)
            fhir.EnableBehavior = item.EnableBehavior == EnableBehavior.Any ? Questionnaire.EnableWhenBehavior.Any : Questionnaire.EnableWhenBehavior.All;
        if (item.Help is { } help)
        {
            var helpItem = new Questionnaire.ItemComponent { LinkId = item.LinkId + HelpSuffix, Type = FhirItemType.Display, Text = help };
            helpItem.Extension.Add(new Extension(ItemControlUrl, Control("help")));
            fhir.Item.Add(helpItem);
        }
        if (item.Type == FormItemType.Consent)
        {
            fhir.Extension.Add(new Extension(ConsentUrl, new FhirBoolean(true)));
            fhir.Item.Add(new Questionnaire.ItemComponent { LinkId = item.LinkId + ConsentTextSuffix, Type = FhirItemType.Display, Text = item.ConsentText });
            fhir.Item.Add(new Questionnaire.ItemComponent { LinkId = item.LinkId + AgreeSuffix, Type = FhirItemType.Boolean, Text = "I agree", Required = true });
            fhir.Item.Add(new Questionnaire.ItemComponent { LinkId = item.LinkId + NameSuffix, Type = FhirItemType.String, Text = "Your full name", Required = true });
        }
        fhir.Item.AddRange((item.Items ?? []).Select(i => Export(i, all)));
        return fhir;
    }

    private static CodeableConcept Control(string code) => new(ItemControlSystem, code);

    private static readonly Dictionary<EnableOperator, Questionnaire.QuestionnaireItemOperator> Operators = new()
    {
        [EnableOperator.Exists] = Questionnaire.QuestionnaireItemOperator.Exists,
        [EnableOperator.Equals] = Questionnaire.QuestionnaireItemOperator.Equal,
        [EnableOperator.NotEquals] = Questionnaire.QuestionnaireItemOperator.NotEqual,
        [EnableOperator.GreaterThan] = Questionnaire.QuestionnaireItemOperator.GreaterThan,
        [EnableOperator.LessThan] = Questionnaire.QuestionnaireItemOperator.LessThan,
        [EnableOperator.GreaterOrEqual] = Questionnaire.QuestionnaireItemOperator.GreaterOrEqual,
        [EnableOperator.LessOrEqual] = Questionnaire.QuestionnaireItemOperator.LessOrEqual,
    };

    /// <summary>A stored value (written invariantly) as the FHIR type of its question.</summary>
    internal static DataType TypedValue(FormItemType type, string value) => type switch
    {
        FormItemType.Integer => new Integer(int.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        FormItemType.Decimal => new FhirDecimal(decimal.Parse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)),
        FormItemType.Date => new Date(value),
        FormItemType.Boolean or FormItemType.Consent => new FhirBoolean(value == "true"),
        FormItemType.Choice or FormItemType.OpenChoice => new Coding(null, value),
        _ => new FhirString(value),
    };

    /// <summary>A FHIR value back to the invariant text a FormAnswer stores; null for a type PortalApp does not take.</summary>
    internal static string? StoredValue(DataType? value) => value switch
    {
        Integer i => i.Value?.ToString(CultureInfo.InvariantCulture),
        FhirDecimal d => d.Value?.ToString(CultureInfo.InvariantCulture),
        Date d => d.Value,
        FhirBoolean b => b.Value is { } v ? (v ? "true" : "false") : null,
        Coding c => c.Code,
        FhirString s => s.Value,
        _ => null,
    };
}
