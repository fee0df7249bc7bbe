using PortalApp.Features.IntakeForms;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms;

public sealed class EnableWhenEvaluatorTests
{
    private static bool Shown(FormItemType type, EnableOperator op, string? ruleAnswer, params string[] answer)
    {
        var definition = new FormDefinition("F", null,
        [
            Item("q", type) with { Options = type == FormItemType.Choice ? Colours : [], Repeats = type == FormItemType.Choice },
            Item("target", FormItemType.String) with { EnableWhen = [new("q", op, ruleAnswer)] },
        ]);
        var answers = answer.Length == 0 ? FormAnswers.Empty : Answers(("q", new FormAnswer(answer)));
        return EnableWhenEvaluator.Shown(definition, answers).Contains("target");
    }

    [Theory]
    [InlineData(FormItemType.String, EnableOperator.Exists, null, "x", true)]
    [InlineData(FormItemType.String, EnableOperator.Exists, null, null, false)]
    [InlineData(FormItemType.String, EnableOperator.Exists, "false", null, true)]
    [InlineData(FormItemType.String, EnableOperator.Exists, "false", "x", false)]
    [InlineData(FormItemType.Boolean, EnableOperator.Equals, "true", "true", true)]
    [InlineData(FormItemType.Boolean, EnableOperator.Equals, "true", "false", false)]
    [InlineData(FormItemType.Boolean, EnableOperator.NotEquals, "true", "false", true)]
    [InlineData(FormItemType.Boolean, EnableOperator.NotEquals, "true", "true", false)]
    [InlineData(FormItemType.Boolean, EnableOperator.NotEquals, "true", null, false)]
    [InlineData(FormItemType.Integer, EnableOperator.GreaterThan, "10", "11", true)]
    [InlineData(FormItemType.Integer, EnableOperator.GreaterThan, "10", "10", false)]
    [InlineData(FormItemType.Integer, EnableOperator.GreaterThan, "9", "10", true)]
    [InlineData(FormItemType.Integer, EnableOperator.LessThan, "10", "9", true)]
    [InlineData(FormItemType.Integer, EnableOperator.LessThan, "10", "10", false)]
    [InlineData(FormItemType.Decimal, EnableOperator.GreaterOrEqual, "2.5", "2.50", true)]
    [InlineData(FormItemType.Decimal, EnableOperator.GreaterOrEqual, "2.5", "2.4", false)]
    [InlineData(FormItemType.Decimal, EnableOperator.LessOrEqual, "2.5", "2.5", true)]
    [InlineData(FormItemType.Decimal, EnableOperator.LessOrEqual, "2.5", "2.6", false)]
    [InlineData(FormItemType.Date, EnableOperator.LessThan, "2000-01-01", "1999-12-31", true)]
    [InlineData(FormItemType.Date, EnableOperator.LessThan, "2000-01-01", "2000-01-01", false)]
    [InlineData(FormItemType.Integer, EnableOperator.Equals, "10", "010", true)]
    [InlineData(FormItemType.String, EnableOperator.Equals, "yes", "Yes", true)]
    public void Each_operator_compares_in_the_question_s_type(FormItemType type, EnableOperator op, string? ruleAnswer, string? answer, bool shown) =>
        Assert.Equal(shown, Shown(type, op, ruleAnswer, answer is null ? [] : [answer]));

    [Fact]
    public void A_multiple_choice_equals_when_any_pick_does_and_differs_when_none_does()
    {
        Assert.True(Shown(FormItemType.Choice, EnableOperator.Equals, "green", "red", "green"));
        Assert.False(Shown(FormItemType.Choice, EnableOperator.NotEquals, "green", "red", "green"));
        Assert.True(Shown(FormItemType.Choice, EnableOperator.NotEquals, "green", "red", "blue"));
    }

    [Fact]
    public void All_needs_every_rule_and_any_needs_one()
    {
        FormDefinition Form(EnableBehavior behavior) => new("F", null,
        [
            Item("a", FormItemType.Boolean), Item("b", FormItemType.Boolean),
            Item("t", FormItemType.String) with
            {
                EnableBehavior = behavior,
                EnableWhen = [new("a", EnableOperator.Equals, "true"), new("b", EnableOperator.Equals, "true")],
            },
        ]);
        var oneTrue = Answers(("a", FormAnswer.Of("true")), ("b", FormAnswer.Of("false")));
        var bothTrue = Answers(("a", FormAnswer.Of("true")), ("b", FormAnswer.Of("true")));

        Assert.DoesNotContain("t", EnableWhenEvaluator.Shown(Form(EnableBehavior.All), oneTrue));
        Assert.Contains("t", EnableWhenEvaluator.Shown(Form(EnableBehavior.All), bothTrue));
        Assert.Contains("t", EnableWhenEvaluator.Shown(Form(EnableBehavior.Any), oneTrue));
        Assert.DoesNotContain("t", EnableWhenEvaluator.Shown(Form(EnableBehavior.Any), FormAnswers.Empty));
    }

    [Fact]
    public void A_hidden_group_hides_its_children_and_rules_on_hidden_questions_fail()
    {
        // falls is inside "older" (age ≥ 65); falls-count looks at falls. A stale "falls = true" must not show falls-count.
        var young = Answers(("age", FormAnswer.Of("40")), ("falls", FormAnswer.Of("true")));
        var shown = EnableWhenEvaluator.Shown(EveryType, young);
        Assert.DoesNotContain("older", shown);
        Assert.DoesNotContain("falls", shown);
        Assert.DoesNotContain("falls-count", shown);

        var old = Answers(("age", FormAnswer.Of("70")), ("falls", FormAnswer.Of("true")));
        Assert.Superset(new HashSet<string> { "older", "falls", "falls-count" }, EnableWhenEvaluator.Shown(EveryType, old).ToHashSet());
    }

    [Fact]
    public void A_consent_counts_as_true_once_signed()
    {
        var definition = new FormDefinition("F", null,
        [
            Item("c", FormItemType.Consent) with { ConsentText = "ok" },
            Item("t", FormItemType.String) with { EnableWhen = [new("c", EnableOperator.Equals, "true")] },
        ]);
        var signed = Answers(("c", new FormAnswer([], Consent: new ConsentSignature(true, "Emma Smith", default))));
        var unsigned = Answers(("c", new FormAnswer([], Consent: new ConsentSignature(true, " ", default))));
        Assert.Contains("t", EnableWhenEvaluator.Shown(definition, signed));
        Assert.DoesNotContain("t", EnableWhenEvaluator.Shown(definition, unsigned));
    }
}
