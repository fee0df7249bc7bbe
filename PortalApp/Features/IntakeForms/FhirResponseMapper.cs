using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using FhirResponseItem = Hl7.Fhir.Model.QuestionnaireResponse.ItemComponent;

namespace PortalApp.Features.IntakeForms;

public static partial class FhirQuestionnaireMapper
{
    /// <summary>Answers as a completed QuestionnaireResponse, nested as the definition nests its items.</summary>
    public static string ToQuestionnaireResponseJson(FormDefinition definition, FormAnswers answers, DateTime? authoredUtc = null)
    {
        var response = new QuestionnaireResponse
        {
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Authored = authoredUtc is { } at ? new DateTimeOffset(at, TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ssK") : null,
            Item = ExportAnswers(definition.Items ?? [], answers),
        };
        return new FhirJsonSerializer().SerializeToString(response);
    }

    private static List<FhirResponseItem> ExportAnswers(IEnumerable<FormItem> items, FormAnswers answers)
    {
        var result = new List<FhirResponseItem>();
        foreach (var item in items)
        {
            var fhir = new FhirResponseItem { LinkId = item.LinkId, Text = item.Text };
            var answer = answers[item.LinkId];
            if (item.Type == FormItemType.Group)
                fhir.Item = ExportAnswers(item.Items ?? [], answers);
            else if (item.Type == FormItemType.Consent && answer?.Consent is { } consent)
            {
                fhir.Item.Add(new FhirResponseItem { LinkId = item.LinkId + AgreeSuffix, Answer = [new() { Value = new FhirBoolean(consent.Agreed) }] });
                var name = new QuestionnaireResponse.AnswerComponent { Value = new FhirString(consent.FullName) };
                name.Extension.Add(new Extension(SignedAtUrl, new FhirDateTime(new DateTimeOffset(consent.SignedAtUtc, TimeSpan.Zero))));
                fhir.Item.Add(new FhirResponseItem { LinkId = item.LinkId + NameSuffix, Answer = [name] });
            }
            else if (item.Type == FormItemType.Attachment && answer?.AttachmentId is { } id)
                fhir.Answer.Add(new() { Value = new Attachment { Url = $"urn:portalapp:attachment:{id}" } });
            else if (answer is not null)
            {
                fhir.Answer.AddRange(answer.Values.Select(v => new QuestionnaireResponse.AnswerComponent { Value = TypedValue(item.Type, v) }));
                if (answer.OtherText is { } other)
                    fhir.Answer.Add(new() { Value = new FhirString(other) });
            }
            if (fhir.Answer.Count > 0 || fhir.Item.Count > 0)
                result.Add(fhir);
        }
        return result;
    }

    /// <summary>Reads a QuestionnaireResponse against the definition it answers; the caller then checks it with AnswerValidator.</summary>
    public static FhirImport<FormAnswers> FromQuestionnaireResponseJson(FormDefinition definition, string? json)
    {
        var (response, refused) = Parse<QuestionnaireResponse>(json, "QuestionnaireResponse");
        if (response is null)
            return new FhirImport<FormAnswers>.Refused(refused!, []);
        var items = FormItems.InOrder(definition.Items ?? []).ToDictionary(x => x.Item.LinkId, x => x.Item, StringComparer.Ordinal);
        var answers = new Dictionary<string, FormAnswer>(StringComparer.Ordinal);
        var problems = new List<FormProblem>();
        ImportAnswers(response.Item, items, answers, problems);
        return problems.Count > 0
            ? new FhirImport<FormAnswers>.Refused(string.Join(" ", problems.Take(5).Select(p => p.Message)), problems)
            : new FhirImport<FormAnswers>.Imported(new FormAnswers(answers));
    }

    private static void ImportAnswers(IEnumerable<FhirResponseItem> fhirItems, Dictionary<string, FormItem> items,
        Dictionary<string, FormAnswer> answers, List<FormProblem> problems)
    {
        foreach (var fhir in fhirItems)
        {
            if (fhir.LinkId is null || !items.TryGetValue(fhir.LinkId, out var item))
            {
                problems.Add(new(fhir.LinkId, $"The response answers '{fhir.LinkId}', which this form does not ask."));
                continue;
            }
            if (item.Type == FormItemType.Consent)
            {
                var agreed = fhir.Item.FirstOrDefault(i => i.LinkId == item.LinkId + AgreeSuffix)?.Answer.FirstOrDefault()?.Value is FhirBoolean { Value: true };
                var name = fhir.Item.FirstOrDefault(i => i.LinkId == item.LinkId + NameSuffix)?.Answer.FirstOrDefault();
                var signedAt = name?.Extension.FirstOrDefault(e => e.Url == SignedAtUrl)?.Value is FhirDateTime at && at.TryToDateTimeOffset(out var dto)
                    ? dto.UtcDateTime : default;
                answers[item.LinkId] = new FormAnswer([], Consent: new ConsentSignature(agreed, (name?.Value as FhirString)?.Value ?? "", signedAt));
                continue;
            }
            if (item.Type == FormItemType.Attachment)
            {
                if (fhir.Answer.FirstOrDefault()?.Value is Attachment { Url: { } url } && url.StartsWith("urn:portalapp:attachment:", StringComparison.Ordinal)
                    && int.TryParse(url["urn:portalapp:attachment:".Length..], out var id))
                    answers[item.LinkId] = new FormAnswer([], AttachmentId: id);
                continue;
            }
            var values = new List<string>();
            string? other = null;
            foreach (var answer in fhir.Answer)
            {
                if (item.Type == FormItemType.OpenChoice && answer.Value is FhirString s)
                    other = s.Value;
                else if (StoredValue(answer.Value) is { } value)
                    values.Add(value);
                else
                    problems.Add(new(item.LinkId, $"The answer to '{FormItems.Label(item)}' is of a type this question does not take."));
            }
            if (values.Count > 0 || other is not null)
                answers[item.LinkId] = new FormAnswer(values, other);
            ImportAnswers(fhir.Item.Concat(fhir.Answer.SelectMany(a => a.Item)), items, answers, problems);
        }
    }
}
