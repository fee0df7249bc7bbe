using PortalApp.Features.IntakeForms;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms;

public sealed class FormAnswersTests
{
    [Fact]
    public void Answers_round_trip_through_json()
    {
        var answers = Answers(("age", FormAnswer.Of("42")), ("pet", new FormAnswer(["cat"], "Hamster")),
            ("consent", new FormAnswer([], Consent: new(true, "Emma Smith", new DateTime(2026, 3, 4, 15, 0, 0, DateTimeKind.Utc)))),
            ("card", new FormAnswer([], AttachmentId: 3)));
        var read = Assert.IsType<JsonRead<FormAnswers>.Read>(FormAnswers.FromJson(answers.ToJson())).Value;
        Assert.Equal(answers.ToJson(), read.ToJson());
        Assert.Equal("Hamster", read["pet"]!.OtherText);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"age\": ", "could not be read")]
    [InlineData("[1,2]", "could not be read")]
    [InlineData("{\"age\": {}}", "has no values list")]
    public void Malformed_json_is_a_clear_result_not_an_exception(string json, string expected) =>
        Assert.Contains(expected, Assert.IsType<JsonRead<FormAnswers>.Unreadable>(FormAnswers.FromJson(json)).Reason);

    [Fact]
    public void Oversized_json_is_refused_before_it_is_parsed()
    {
        var huge = "{\"a\":{\"values\":[\"" + new string('x', FormJson.MaxAnswersJsonBytes) + "\"]}}";
        Assert.Contains("larger than 2 MB", Assert.IsType<JsonRead<FormAnswers>.Unreadable>(FormAnswers.FromJson(huge)).Reason);
        var tooLong = Answers(("a", FormAnswer.Of(new string('x', FormLimits.MaxAnswerLength + 1)))).ToJson();
        Assert.Contains("longer than", Assert.IsType<JsonRead<FormAnswers>.Unreadable>(FormAnswers.FromJson(tooLong)).Reason);
        var tooMany = Answers(("a", FormAnswer.Of([.. Enumerable.Repeat("x", FormLimits.MaxAnswersPerItem + 1)]))).ToJson();
        Assert.Contains($"the most is {FormLimits.MaxAnswersPerItem}", Assert.IsType<JsonRead<FormAnswers>.Unreadable>(FormAnswers.FromJson(tooMany)).Reason);
    }

    [Fact]
    public void Phq9_total_and_band()
    {
        FormAnswers Scores(params int[] s) => new(s.Select((v, i) => ($"phq9.{i + 1}", FormAnswer.Of(v.ToString()))).ToDictionary(x => x.Item1, x => x.Item2));
        Assert.Equal(new PhqScore(0, "Minimal"), PhqScore.From(Scores(0, 0, 0, 0, 0, 0, 0, 0, 0)));
        Assert.Equal(new PhqScore(5, "Mild"), PhqScore.From(Scores(1, 1, 1, 1, 1, 0, 0, 0, 0)));
        Assert.Equal(new PhqScore(14, "Moderate"), PhqScore.From(Scores(2, 2, 2, 2, 2, 2, 2, 0, 0)));
        Assert.Equal(new PhqScore(19, "Moderately severe"), PhqScore.From(Scores(3, 3, 3, 3, 3, 3, 1, 0, 0)));
        Assert.Equal(new PhqScore(27, "Severe"), PhqScore.From(Scores(3, 3, 3, 3, 3, 3, 3, 3, 3)));
        Assert.Null(PhqScore.From(Scores(3, 3, 3)));
        Assert.Equal(new[] { 4, 9, 14, 19, 20 }.Select(PhqScore.BandOf), ["Minimal", "Mild", "Moderate", "Moderately severe", "Severe"]);
        // The form's option scores add up to the same total.
        Assert.Equal(27m, FormScore.Total(StarterForms.Phq9, Scores(3, 3, 3, 3, 3, 3, 3, 3, 3)));
    }
}
