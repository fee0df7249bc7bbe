using PortalApp.Features.IntakeForms;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms;

public sealed class FormAnswerDisplayTests
{
    private static readonly TimeZoneInfo Toronto = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");

    private static string? Shown(FormAnswers answers, string linkId) =>
        FormAnswerDisplay.Rows(EveryType, answers, Toronto, id => id == 7 ? "card.jpg" : null).Single(r => r.LinkId == linkId).Answer;

    [Fact]
    public void Each_type_reads_as_a_person_would_say_it()
    {
        var answers = Answers(
            ("name", FormAnswer.Of(" Ada ")), ("age", FormAnswer.Of("70")), ("born", FormAnswer.Of("1956-03-07")),
            ("smoker", FormAnswer.Of("false")), ("colour", FormAnswer.Of("green")), ("colours", FormAnswer.Of("red", "blue")),
            ("pet", new FormAnswer(["cat"], OtherText: "a snake")),
            ("consent", new FormAnswer([], Consent: new ConsentSignature(true, "Ada Lovelace", new DateTime(2026, 3, 7, 15, 5, 0, DateTimeKind.Utc)))),
            ("card", new FormAnswer([], AttachmentId: 7)));

        Assert.Equal("Ada", Shown(answers, "name"));
        Assert.Equal("70", Shown(answers, "age"));
        Assert.Equal("7 Mar 1956", Shown(answers, "born"));
        Assert.Equal("No", Shown(answers, "smoker"));
        Assert.Equal("Green", Shown(answers, "colour"));
        Assert.Equal("Red; Blue", Shown(answers, "colours"));
        Assert.Equal("Cat; Other: a snake", Shown(answers, "pet"));
        Assert.Equal("Agreed. Signed \"Ada Lovelace\" on Sat 7 Mar 2026, 10:05 AM", Shown(answers, "consent"));
        Assert.Equal("Attached: card.jpg", Shown(answers, "card"));
        Assert.Null(Shown(answers, "story"));
    }

    [Fact]
    public void Rows_follow_the_form_and_say_which_are_hidden_by_a_rule()
    {
        var rows = FormAnswerDisplay.Rows(EveryType, Answers(("age", FormAnswer.Of("40")), ("falls", FormAnswer.Of("true"))), Toronto);

        Assert.Equal(AnswerRowKind.Section, rows[0].Kind);
        Assert.Equal("Section one", rows[0].Label);
        Assert.Equal(AnswerRowKind.Display, rows[1].Kind);
        var falls = rows.Single(r => r.LinkId == "falls");
        Assert.True(falls.Hidden);
        Assert.Null(falls.Answer); // posted, but under a rule that hides it
        Assert.True(rows.Single(r => r.LinkId == "staff-note").StaffOnly);
        Assert.Equal(AnswerRowKind.Group, rows.Single(r => r.LinkId == "older").Kind);
    }
}
