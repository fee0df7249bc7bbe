using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Reviewing;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms.Reviewing;

public sealed class ResponseComparisonTests
{
    private static readonly TimeZoneInfo Toronto = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");

    private static ResponseComparison Compare(FormAnswers earlier, FormAnswers later, FormDefinition? earlierForm = null, FormDefinition? laterForm = null) =>
        ResponseComparison.Compare(earlierForm ?? EveryType, earlier, laterForm ?? EveryType, later, Toronto);

    private static ComparisonRow Row(ResponseComparison c, string linkId) => c.Rows.Single(r => r.LinkId == linkId);

    private static string Joined(IReadOnlyList<TextPiece> pieces) => string.Concat(pieces.Select(p => p.Text));

    [Fact]
    public void Changed_answers_are_flagged_as_they_read_and_unchanged_ones_are_not()
    {
        var comparison = Compare(
            Answers(("name", FormAnswer.Of("Ada")), ("colour", FormAnswer.Of("red")), ("age", FormAnswer.Of("40"))),
            Answers(("name", FormAnswer.Of("Ada ")), ("colour", FormAnswer.Of("blue")), ("weight", FormAnswer.Of("61.5"))));

        Assert.False(Row(comparison, "name").Changed); // "Ada " reads as "Ada"
        var colour = Row(comparison, "colour");
        Assert.True(colour.Changed);
        Assert.Equal(("Red", "Blue"), (colour.Earlier.Text, colour.Later.Text)); // the options' wording, not their codes
        Assert.Null(colour.Later.Pieces); // a short answer is shown whole
        Assert.Equal((CompareState.Answered, CompareState.NoAnswer), (Row(comparison, "age").Earlier.State, Row(comparison, "age").Later.State));
        Assert.True(Row(comparison, "age").Changed);
        Assert.True(Row(comparison, "weight").Changed);
        Assert.False(Row(comparison, "story").Changed);
        Assert.Equal(3, comparison.ChangedCount);
    }

    [Fact]
    public void A_long_text_answer_gets_its_changed_words_and_the_pieces_join_back_into_each_answer()
    {
        const string before = "I walk every morning, and my knee hurts.";
        const string after = "I run every evening, and my knee hurts a lot.";
        var story = Row(Compare(Answers(("story", FormAnswer.Of(before))), Answers(("story", FormAnswer.Of(after)))), "story");

        Assert.True(story.Changed);
        Assert.Equal(before, Joined(story.Earlier.Pieces!));
        Assert.Equal(after, Joined(story.Later.Pieces!));
        Assert.Equal(["walk", "morning"], story.Earlier.Pieces!.Where(p => p.Change == PieceChange.Deleted).Select(p => p.Text.Trim()));
        Assert.Equal(["run", "evening", "a lot"], story.Later.Pieces!.Where(p => p.Change == PieceChange.Inserted).Select(p => p.Text.Trim()));
        Assert.DoesNotContain(story.Earlier.Pieces!, p => p.Change == PieceChange.Inserted);
    }

    [Fact]
    public void Changed_words_with_only_a_space_between_them_are_one_change()
    {
        // The diff matches the old space between "and" and "I" with the one between "left" and "knee"; a reader sees one phrase.
        const string after = "My lower back still hurts after long days at my desk, and now my left knee aches; I would like advice.";
        var words = WordDiff.Between("My lower back hurts after long days at my desk, and I would like advice.", after);

        Assert.Equal(after, Joined(words.Later));
        Assert.Equal(["still", "now my left knee aches;"], words.Later.Where(p => p.Change == PieceChange.Inserted).Select(p => p.Text)); // no spaces marked
        Assert.DoesNotContain(words.Earlier, p => p.Change == PieceChange.Deleted);
    }

    [Fact]
    public void A_short_text_question_with_an_answer_over_60_characters_is_diffed_by_words_too()
    {
        var before = "Ada " + new string('x', 70);
        var name = Row(Compare(Answers(("name", FormAnswer.Of(before))), Answers(("name", FormAnswer.Of("Grace " + new string('x', 70))))), "name");

        Assert.Equal("Ada", Assert.Single(name.Earlier.Pieces!, p => p.Change == PieceChange.Deleted).Text);
        Assert.Equal("Grace", Assert.Single(name.Later.Pieces!, p => p.Change == PieceChange.Inserted).Text);
    }

    [Fact]
    public void Questions_are_matched_by_link_id_across_versions_and_one_asked_only_once_says_so()
    {
        var v1 = new FormDefinition("Check-in", null,
        [
            new FormItem { LinkId = "s", Type = FormItemType.Group, Text = "About you", Items =
                [Item("mood", FormItemType.String, "How are you?"), Item("pet", FormItemType.String, "Any pets?"), Item("sleep", FormItemType.String, "Sleep")] },
        ]);
        var v2 = new FormDefinition("Check-in", null,
        [
            new FormItem { LinkId = "s", Type = FormItemType.Group, Text = "About you", Items =
                [Item("sleep", FormItemType.String, "How do you sleep?"), Item("mood", FormItemType.String, "How are you?"), Item("stress", FormItemType.String, "Stress")] },
        ]);

        var comparison = Compare(Answers(("mood", FormAnswer.Of("Fine")), ("pet", FormAnswer.Of("A cat")), ("sleep", FormAnswer.Of("Badly"))),
            Answers(("mood", FormAnswer.Of("Fine")), ("sleep", FormAnswer.Of("Well")), ("stress", FormAnswer.Of("Some"))), v1, v2);

        // The later version's order; "pet", asked only in version 1, follows "mood" as it did there.
        Assert.Equal(["s", "sleep", "mood", "pet", "stress"], comparison.Rows.Select(r => r.LinkId));
        Assert.Equal((CompareState.Answered, CompareState.NotAsked), (Row(comparison, "pet").Earlier.State, Row(comparison, "pet").Later.State));
        Assert.Equal((CompareState.NotAsked, "Some"), (Row(comparison, "stress").Earlier.State, Row(comparison, "stress").Later.Text));
        var sleep = Row(comparison, "sleep");
        Assert.Equal(("How do you sleep?", "Sleep", true), (sleep.Label, sleep.EarlierLabel, sleep.Changed));
        Assert.Null(Row(comparison, "mood").EarlierLabel);
        Assert.False(Row(comparison, "mood").Changed);
    }

    [Fact]
    public void A_question_hidden_on_both_sides_is_left_out_and_hidden_on_one_side_says_so()
    {
        // "per-day" shows only for smokers; "falls" only from 65. Answers posted to hidden questions are never shown.
        var comparison = Compare(
            Answers(("smoker", FormAnswer.Of("false")), ("per-day", FormAnswer.Of("10")), ("age", FormAnswer.Of("40")), ("falls", FormAnswer.Of("true"))),
            Answers(("smoker", FormAnswer.Of("true")), ("per-day", FormAnswer.Of("5")), ("age", FormAnswer.Of("41")), ("falls", FormAnswer.Of("true"))));

        var perDay = Row(comparison, "per-day");
        Assert.Equal((CompareState.Hidden, null), (perDay.Earlier.State, perDay.Earlier.Text));
        Assert.Equal("5", perDay.Later.Text);
        Assert.DoesNotContain(comparison.Rows, r => r.LinkId is "older" or "falls" or "falls-count");
        Assert.DoesNotContain(comparison.Rows, r => r.Kind == AnswerRowKind.Display);
    }

    [Fact]
    public void Only_changes_keeps_the_changed_questions_and_the_headings_above_them()
    {
        var comparison = Compare(Answers(("consent", new FormAnswer([], Consent: new ConsentSignature(false, "", DateTime.UnixEpoch)))),
            Answers(("consent", new FormAnswer([], Consent: new ConsentSignature(true, "Ada Lovelace", new DateTime(2026, 3, 7, 15, 0, 0, DateTimeKind.Utc))))));

        Assert.Equal(["s2", "consent"], comparison.OnlyChanges().Select(r => r.LinkId));
        Assert.Equal("Did not agree", Row(comparison, "consent").Earlier.Text);
    }
}
