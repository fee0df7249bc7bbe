using PortalApp.Features.IntakeForms;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms;

public sealed class AnswerValidatorTests
{
    private static readonly DateTime Now = new(2026, 3, 4, 15, 0, 0, DateTimeKind.Utc);

    /// <summary>The least that makes EveryType complete: its required name, and the consent isn't required.</summary>
    private static (string, FormAnswer) Name => ("name", FormAnswer.Of("Emma"));

    private static AnswerCheck Submit(params (string, FormAnswer)[] answers) =>
        AnswerValidator.Check(EveryType, Answers([Name, .. answers]), AnswerPoster.Patient, complete: true, Now);

    [Theory]
    [InlineData("age", "42", "42", null)]
    [InlineData("age", " -3 ", "-3", null)]
    [InlineData("age", "4.2", null, "Enter a whole number, like 42.")]
    [InlineData("age", "forty", null, "Enter a whole number, like 42.")]
    [InlineData("age", "99999999999", null, "Enter a whole number, like 42.")]
    [InlineData("weight", "72.5", "72.5", null)]
    [InlineData("weight", "72,5", null, "Enter a number, like 12.5 (use a point for decimals).")]
    [InlineData("born", "1984-03-07", "1984-03-07", null)]
    [InlineData("born", "1984-02-30", null, "Enter a date, like 2026-03-07.")]
    [InlineData("born", "07/03/1984", null, "Enter a date, like 2026-03-07.")]
    [InlineData("smoker", "false", "false", null)]
    [InlineData("smoker", "maybe", null, "Choose yes or no.")]
    [InlineData("colour", "green", "green", null)]
    [InlineData("colour", "purple", null, "Choose one of the answers listed.")]
    [InlineData("story", "Long  story\nline two  ", "Long  story\nline two", null)]
    [InlineData("name", "Emma\nSmith", null, "Keep this answer to one line.")]
    [InlineData("name", "A name much longer than twenty", null, "Keep this answer to 20 characters or fewer (it has 30).")]
    public void Each_type_is_parsed_and_stored_invariantly(string linkId, string posted, string? stored, string? problem)
    {
        var check = AnswerValidator.Check(EveryType, Answers((linkId, FormAnswer.Of(posted))), AnswerPoster.Patient, complete: false, Now);
        if (problem is null)
        {
            Assert.Empty(check.Problems);
            Assert.Equal([stored!], check.Kept[linkId]!.Values);
        }
        else
        {
            Assert.Equal(problem, check.Problems[linkId]);
            Assert.Null(check.Kept[linkId]);
        }
    }

    [Fact]
    public void Choices_take_one_answer_unless_they_repeat()
    {
        Assert.Equal("Choose only one answer.", Submit(("colour", FormAnswer.Of("red", "blue"))).Problems["colour"]);
        Assert.Equal(["red", "blue"], Submit(("colours", FormAnswer.Of("red", "blue", "red"))).Kept["colours"]!.Values);
        Assert.Equal("Choose one of the answers listed.", Submit(("colours", FormAnswer.Of("red", "pink"))).Problems["colours"]);
    }

    [Fact]
    public void An_open_choice_takes_a_code_or_the_patient_s_own_words_but_not_both()
    {
        Assert.Equal("Hamster", Submit(("pet", new FormAnswer([], OtherText: " Hamster "))).Kept["pet"]!.OtherText);
        Assert.Equal(["cat"], Submit(("pet", FormAnswer.Of("cat"))).Kept["pet"]!.Values);
        Assert.Equal("Choose one of the answers, or write your own, not both.", Submit(("pet", new FormAnswer(["cat"], "Hamster"))).Problems["pet"]);
        Assert.StartsWith("Choose one of the answers listed", Submit(("pet", FormAnswer.Of("fish"))).Problems["pet"]);
    }

    [Fact]
    public void A_consent_needs_the_box_and_a_typed_name_and_takes_the_server_s_time()
    {
        const string Sign = "Tick \"I agree\" and type your full name to sign.";
        Assert.Equal(Sign, Submit(("consent", new FormAnswer([], Consent: new(false, "Emma Smith", default)))).Problems["consent"]);
        Assert.Equal(Sign, Submit(("consent", new FormAnswer([], Consent: new(true, "  ", default)))).Problems["consent"]);
        var signed = Submit(("consent", new FormAnswer([], Consent: new(true, " Emma Smith ", new DateTime(1999, 1, 1)))));
        Assert.Equal(new ConsentSignature(true, "Emma Smith", Now), signed.Kept["consent"]!.Consent);
    }

    [Fact]
    public void Required_questions_are_required_only_while_shown()
    {
        var missing = AnswerValidator.Check(EveryType, FormAnswers.Empty, AnswerPoster.Patient, complete: true, Now);
        Assert.Equal(["name"], missing.Problems.Keys);
        Assert.Equal("Answer this question.", missing.Problems["name"]);

        // per-day is required once "smoker" is yes; falls once age ≥ 65 (a nested group).
        var shown = Submit(("smoker", FormAnswer.Of("true")), ("age", FormAnswer.Of("70")));
        Assert.Equal(["falls", "per-day"], shown.Problems.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Choose an answer to this question.", shown.Problems["falls"]);

        Assert.True(Submit(("smoker", FormAnswer.Of("false"))).IsValid);
    }

    [Fact]
    public void A_draft_save_checks_what_was_typed_but_not_what_is_missing()
    {
        var draft = AnswerValidator.Check(EveryType, Answers(("age", FormAnswer.Of("x"))), AnswerPoster.Patient, complete: false, Now);
        Assert.Equal(["age"], draft.Problems.Keys);
    }

    [Fact]
    public void Answers_to_hidden_staff_only_unknown_and_display_items_are_dropped()
    {
        var posted = Submit(
            ("smoker", FormAnswer.Of("false")), ("per-day", FormAnswer.Of("20")),           // hidden: not a smoker
            ("age", FormAnswer.Of("40")), ("falls", FormAnswer.Of("true")),                 // hidden group
            ("falls-count", FormAnswer.Of("3")),                                            // hidden through a hidden question
            ("staff-note", FormAnswer.Of("patient wrote this")),                           // staff only
            ("intro", FormAnswer.Of("x")), ("s1", FormAnswer.Of("x")), ("made-up", FormAnswer.Of("x")));
        Assert.True(posted.IsValid);
        Assert.Equal(["age", "name", "smoker"], posted.Kept.ByLinkId.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Staff_may_fill_in_staff_only_questions()
    {
        var check = AnswerValidator.Check(EveryType, Answers(Name, ("staff-note", FormAnswer.Of("Seen"))), AnswerPoster.Staff, complete: true, Now);
        Assert.Equal(["Seen"], check.Kept["staff-note"]!.Values);
    }

    [Fact]
    public void Oversized_answers_get_a_specific_message()
    {
        var tooLong = new string('x', FormLimits.MaxAnswerLength + 1);
        Assert.Equal($"Keep your answer to {FormLimits.MaxAnswerLength:N0} characters or fewer.", Submit(("story", FormAnswer.Of(tooLong))).Problems["story"]);
        var tooMany = Enumerable.Repeat("red", FormLimits.MaxAnswersPerItem + 1).ToArray();
        Assert.Equal($"Choose at most {FormLimits.MaxAnswersPerItem} answers.", Submit(("colours", FormAnswer.Of(tooMany))).Problems["colours"]);
    }

    [Fact]
    public void An_attachment_is_kept_by_its_id()
    {
        Assert.Equal(7, Submit(("card", new FormAnswer([], AttachmentId: 7))).Kept["card"]!.AttachmentId);
    }
}
