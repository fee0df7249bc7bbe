using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using FhirItemType = Hl7.Fhir.Model.Questionnaire.QuestionnaireItemType;

namespace PortalApp.Features.IntakeForms;

public static partial class FhirQuestionnaireMapper
{
    /// <summary>Reads a Questionnaire from another system: bounded in size, parsed by Firely, then held to FormDefinitionRules.</summary>
    public static FhirImport<FormDefinition> FromQuestionnaireJson(string? json)
    {
        var (questionnaire, refused) = Parse<Questionnaire>(json, "Questionnaire");
        if (questionnaire is null)
            return new FhirImport<FormDefinition>.Refused(refused!, []);
        var problems = new List<FormProblem>();
        var ruleTypes = new Dictionary<string, FormItemType>(StringComparer.Ordinal);
        var definition = new FormDefinition(questionnaire.Title ?? questionnaire.Name ?? "", questionnaire.Description,
            questionnaire.Item.Select(i => Import(i, problems)).OfType<FormItem>().ToList());
        if (problems.Count == 0)
            problems.AddRange(FormDefinitionRules.Check(definition));
        return problems.Count > 0
            ? new FhirImport<FormDefinition>.Refused("This Questionnaire cannot be used as it is: " + string.Join(" ", problems.Take(5).Select(p => p.Message)), problems)
            : new FhirImport<FormDefinition>.Imported(definition);
    }

    /// <summary>The resource, or why not in the parser's words. Firely's strict deserializer (FhirJsonParser's successor).</summary>
    private static (T? Resource, string? Refused) Parse<T>(string? json, string what) where T : Resource
    {
        if (string.IsNullOrWhiteSpace(json))
            return (null, $"The file is empty: choose a FHIR {what} in JSON.");
        if (json.Length > FormLimits.MaxDefinitionJsonBytes || Encoding.UTF8.GetByteCount(json) > FormLimits.MaxDefinitionJsonBytes)
            return (null, $"The file is larger than {FormLimits.MaxDefinitionJsonBytes / 1024 / 1024} MB, the most PortalApp imports.");
        try
        {
            return (new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<T>(json), null);
        }
        // Firely reports bad input with several exception types (FormatException, DeserializationFailedException, …);
        // each carries a message naming the element, which is what the person importing needs.
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return (null, $"This is not a FHIR R4 {what} PortalApp can read: {ex.Message}");
        }
    }

    private static FormItem? Import(Questionnaire.ItemComponent fhir, List<FormProblem> problems)
    {
        var children = fhir.Item.ToList();
        var help = children.FirstOrDefault(c => c.Type == FhirItemType.Display && HasControl(c, "help"));
        if (help is not null)
            children.Remove(help);
        var isConsent = fhir.Extension.Any(e => e.Url == ConsentUrl);
        FormItemType type;
        if (isConsent)
            type = FormItemType.Consent;
        else if (fhir.Type is { } t && Enum.TryParse<FormItemType>(t.ToString(), out var ours) && ours != FormItemType.Consent)
            type = ours;
        else
        {
            problems.Add(new(fhir.LinkId, $"'{fhir.Text ?? fhir.LinkId}' is a {fhir.TypeElement?.JsonValue ?? "question without a type"}, which PortalApp forms do not have."));
            return null;
        }
        var item = new FormItem
        {
            LinkId = fhir.LinkId ?? "",
            Type = type,
            Text = fhir.Text ?? "",
            Help = help?.Text,
            Required = fhir.Required ?? false,
            StaffOnly = fhir.Extension.Any(e => e.Url == StaffOnlyUrl && e.Value is FhirBoolean { Value: true }),
            Repeats = fhir.Repeats ?? false,
            ChoiceDisplay = HasControl(fhir, "drop-down") ? ChoiceDisplay.DropDown : ChoiceDisplay.Radio,
            MaxLength = fhir.MaxLength,
            Options = fhir.AnswerOption.Select(o => o.Value is Coding c
                ? new AnswerOption(c.Code ?? "", c.Display ?? c.Code ?? "",
                    c.Extension.FirstOrDefault(e => e.Url == OrdinalValueUrl)?.Value is FhirDecimal { Value: var score } ? score : null)
                : new AnswerOption(StoredValue(o.Value) ?? "", StoredValue(o.Value) ?? "")).ToList(),
            EnableWhen = fhir.EnableWhen.Select(ImportRule).ToList(),
            EnableBehavior = fhir.EnableBehavior == Questionnaire.EnableWhenBehavior.Any ? EnableBehavior.Any : EnableBehavior.All,
        };
        if (isConsent)
        {
            var text = children.FirstOrDefault(c => c.Type == FhirItemType.Display)?.Text;
            return item with { ConsentText = text };
        }
        return item with { Items = children.Select(c => Import(c, problems)).OfType<FormItem>().ToList() };
    }

    private static EnableWhen ImportRule(Questionnaire.EnableWhenComponent rule)
    {
        var op = Operators.FirstOrDefault(o => o.Value == rule.Operator).Key;
        // "Exists: true" is our null answer, so a rule exported and read back is the same rule.
        var answer = op == EnableOperator.Exists
            ? rule.Answer is FhirBoolean { Value: false } ? "false" : null
            : StoredValue(rule.Answer);
        return new EnableWhen(rule.Question ?? "", op, answer);
    }

    private static bool HasControl(Questionnaire.ItemComponent item, string code) =>
        item.Extension.Any(e => e.Url == ItemControlUrl && e.Value is CodeableConcept cc && cc.Coding.Any(c => c.Code == code));
}
