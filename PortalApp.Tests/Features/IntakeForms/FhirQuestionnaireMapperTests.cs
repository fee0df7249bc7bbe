using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using PortalApp.Features.IntakeForms;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms;

public sealed class FhirQuestionnaireMapperTests
{
    // FhirJsonParser is obsolete in Firely 6.8 (the mapper reads with its successor, FhirJsonDeserializer). The tests use
    // the older parser on purpose: a second, independent reader of the exported JSON.
#pragma warning disable CS0618
    private static T ParseWithFirely<T>(string json) where T : Resource => new FhirJsonParser().Parse<T>(json);
#pragma warning restore CS0618

    public static TheoryData<string> Forms => new(["every-type", .. StarterForms.All.Select(s => s.Key)]);

    private static FormDefinition Named(string name) => name == "every-type" ? EveryType : StarterForms.All.Single(s => s.Key == name).Definition;

    [Theory]
    [MemberData(nameof(Forms))]
    public void A_form_exports_as_valid_FHIR_and_imports_back_unchanged(string name)
    {
        var definition = Named(name);
        var json = FhirQuestionnaireMapper.ToQuestionnaireJson(definition);

        var questionnaire = ParseWithFirely<Questionnaire>(json);
        Assert.Equal(definition.Title, questionnaire.Title);
        var imported = Assert.IsType<FhirImport<FormDefinition>.Imported>(FhirQuestionnaireMapper.FromQuestionnaireJson(json)).Value;
        Assert.Equal(FormJson.Serialize(definition), FormJson.Serialize(imported));
    }

    [Fact]
    public void Standard_FHIR_carries_what_FHIR_has_and_consent_is_a_group_any_system_can_fill()
    {
        var questionnaire = ParseWithFirely<Questionnaire>(FhirQuestionnaireMapper.ToQuestionnaireJson(EveryType));
        var items = questionnaire.Item.SelectMany(Flatten).ToDictionary(i => i.LinkId!);

        Assert.Equal(Questionnaire.QuestionnaireItemType.OpenChoice, items["pet"].Type);
        Assert.Equal(Questionnaire.QuestionnaireItemOperator.GreaterOrEqual, items["older"].EnableWhen.Single().Operator);
        Assert.Equal(65, ((Integer)items["older"].EnableWhen.Single().Answer).Value);
        Assert.Equal(20, items["name"].MaxLength);
        Assert.Equal(Questionnaire.QuestionnaireItemType.Group, items["consent"].Type);
        Assert.Equal(Questionnaire.QuestionnaireItemType.Boolean, items["consent.agree"].Type);
        Assert.Equal(Questionnaire.QuestionnaireItemType.String, items["consent.name"].Type);
        Assert.Equal("I agree to treatment.", items["consent.text"].Text);

        static IEnumerable<Questionnaire.ItemComponent> Flatten(Questionnaire.ItemComponent i) => [i, .. i.Item.SelectMany(Flatten)];
    }

    [Fact]
    public void Phq9_scores_travel_as_ordinal_values()
    {
        var questionnaire = ParseWithFirely<Questionnaire>(FhirQuestionnaireMapper.ToQuestionnaireJson(StarterForms.Phq9));
        var first = questionnaire.Item[0].Item[0];
        Assert.Equal([0m, 1m, 2m, 3m], first.AnswerOption.Select(o => ((FhirDecimal)o.Value!.Extension.Single(e => e.Url == FhirQuestionnaireMapper.OrdinalValueUrl).Value!).Value!.Value));
    }

    [Fact]
    public void Answers_export_as_a_valid_QuestionnaireResponse_and_import_back_unchanged()
    {
        var answers = Answers(("name", FormAnswer.Of("Emma")), ("story", FormAnswer.Of("Line one\nline two")), ("age", FormAnswer.Of("70")),
            ("weight", FormAnswer.Of("72.5")), ("born", FormAnswer.Of("1956-03-07")), ("smoker", FormAnswer.Of("true")),
            ("colour", FormAnswer.Of("green")), ("colours", FormAnswer.Of("red", "blue")), ("pet", new FormAnswer([], "Hamster")),
            ("consent", new FormAnswer([], Consent: new(true, "Emma Smith", new DateTime(2026, 3, 4, 15, 0, 0, DateTimeKind.Utc)))),
            ("card", new FormAnswer([], AttachmentId: 12)), ("per-day", FormAnswer.Of("5")), ("falls", FormAnswer.Of("false")));
        var json = FhirQuestionnaireMapper.ToQuestionnaireResponseJson(EveryType, answers, new DateTime(2026, 3, 4, 15, 0, 0, DateTimeKind.Utc));

        var response = ParseWithFirely<QuestionnaireResponse>(json);
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.Completed, response.Status);
        Assert.Equal(["s1", "s2"], response.Item.Select(i => i.LinkId));
        var imported = Assert.IsType<FhirImport<FormAnswers>.Imported>(FhirQuestionnaireMapper.FromQuestionnaireResponseJson(EveryType, json)).Value;
        Assert.Equal(answers.ToJson(), new FormAnswers(imported.ByLinkId.OrderBy(a => Order(a.Key)).ToDictionary()).ToJson());

        int Order(string linkId) => answers.ByLinkId.Keys.ToList().IndexOf(linkId);
    }

    [Theory]
    [InlineData("{ \"resourceType\": \"Questionnaire\", ", "not a FHIR R4 Questionnaire")]
    [InlineData("{ \"resourceType\": \"Patient\" }", "not a FHIR R4 Questionnaire")]
    [InlineData("{ \"resourceType\": \"Questionnaire\", \"status\": \"active\", \"item\": [ { \"linkId\": \"q\", \"type\": \"banana\", \"text\": \"Q\" } ] }", "not a FHIR R4 Questionnaire")]
    [InlineData("", "The file is empty")]
    public void Bad_json_is_refused_with_the_parser_s_message(string json, string expected)
    {
        var refused = Assert.IsType<FhirImport<FormDefinition>.Refused>(FhirQuestionnaireMapper.FromQuestionnaireJson(json));
        Assert.Contains(expected, refused.Reason);
        Assert.True(refused.Reason.Length > expected.Length + 10, refused.Reason);
    }

    [Fact]
    public void An_oversized_file_or_an_unsupported_type_or_a_broken_rule_is_refused()
    {
        var huge = "{\"resourceType\":\"Questionnaire\",\"title\":\"" + new string('x', FormLimits.MaxDefinitionJsonBytes) + "\"}";
        Assert.Contains("larger than 2 MB", Assert.IsType<FhirImport<FormDefinition>.Refused>(FhirQuestionnaireMapper.FromQuestionnaireJson(huge)).Reason);

        const string Quantity = "{\"resourceType\":\"Questionnaire\",\"status\":\"active\",\"title\":\"T\",\"item\":[{\"linkId\":\"q\",\"type\":\"quantity\",\"text\":\"Height\"}]}";
        Assert.Contains("'Height' is a quantity", Assert.IsType<FhirImport<FormDefinition>.Refused>(FhirQuestionnaireMapper.FromQuestionnaireJson(Quantity)).Reason);

        const string Forward = "{\"resourceType\":\"Questionnaire\",\"status\":\"active\",\"title\":\"T\",\"item\":[{\"linkId\":\"a\",\"type\":\"string\",\"text\":\"A\","
            + "\"enableWhen\":[{\"question\":\"b\",\"operator\":\"exists\",\"answerBoolean\":true}]},{\"linkId\":\"b\",\"type\":\"string\",\"text\":\"B\"}]}";
        Assert.Contains("earlier question", Assert.IsType<FhirImport<FormDefinition>.Refused>(FhirQuestionnaireMapper.FromQuestionnaireJson(Forward)).Reason);
    }
}
