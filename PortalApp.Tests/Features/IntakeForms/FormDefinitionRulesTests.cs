using PortalApp.Features.IntakeForms;
using static PortalApp.Tests.Features.IntakeForms.TestForms;

namespace PortalApp.Tests.Features.IntakeForms;

public sealed class FormDefinitionRulesTests
{
    private static FormDefinition With(params FormItem[] items) => new("Form", null, items);

    private static string Single(FormDefinition definition) => Assert.Single(FormDefinitionRules.Check(definition)).Message;

    [Fact]
    public void The_test_form_and_every_starter_form_pass()
    {
        Assert.Empty(FormDefinitionRules.Check(EveryType));
        foreach (var (_, definition) in StarterForms.All)
            Assert.Empty(FormDefinitionRules.Check(definition));
    }

    [Fact]
    public void Link_ids_must_be_unique_and_plain()
    {
        Assert.Contains("already has", Single(With(Item("a", FormItemType.String), Item("a", FormItemType.Integer))));
        Assert.Contains("use only letters", Single(With(Item("a b", FormItemType.String, "Your name"))));
        Assert.Contains("'Your name'", Single(With(Item("a/b", FormItemType.String, "Your name"))));
    }

    [Fact]
    public void A_rule_must_look_at_an_earlier_question_that_takes_an_answer()
    {
        var later = With(Item("b", FormItemType.String) with { EnableWhen = [new("a", EnableOperator.Exists, null)] }, Item("a", FormItemType.String));
        Assert.Contains("earlier question", Single(later));
        Assert.Contains("earlier question", Single(With(Item("b", FormItemType.String) with { EnableWhen = [new("nowhere", EnableOperator.Exists, null)] })));
        Assert.Contains("takes no answer", Single(With(Item("d", FormItemType.Display), Item("b", FormItemType.String) with { EnableWhen = [new("d", EnableOperator.Exists, null)] })));
    }

    [Theory]
    [InlineData(FormItemType.Boolean, EnableOperator.GreaterThan, "true", "only for numbers and dates")]
    [InlineData(FormItemType.String, EnableOperator.LessThan, "x", "only for numbers and dates")]
    [InlineData(FormItemType.Integer, EnableOperator.Equals, "1.5", "not a whole number")]
    [InlineData(FormItemType.Decimal, EnableOperator.GreaterThan, "lots", "not a number")]
    [InlineData(FormItemType.Date, EnableOperator.LessThan, "07/03/2026", "not a date")]
    [InlineData(FormItemType.Boolean, EnableOperator.Equals, "yes", "not true or false")]
    [InlineData(FormItemType.Choice, EnableOperator.Equals, "purple", "not the code of one of its options")]
    [InlineData(FormItemType.String, EnableOperator.Exists, "maybe", "must be true or false")]
    [InlineData(FormItemType.Attachment, EnableOperator.Equals, "x", "only 'is answered'")]
    public void A_rule_s_operator_and_answer_must_fit_the_question(FormItemType type, EnableOperator op, string answer, string expected)
    {
        var question = Item("q", type) with { Options = type == FormItemType.Choice ? Colours : [] };
        Assert.Contains(expected, Single(With(question, Item("r", FormItemType.String) with { EnableWhen = [new("q", op, answer)] })));
    }

    [Fact]
    public void Items_must_be_complete_for_their_type()
    {
        Assert.Contains("at least one option", Single(With(Item("c", FormItemType.Choice))));
        Assert.Contains("only choice questions use them", Single(With(Item("c", FormItemType.String) with { Options = Colours })));
        Assert.Contains("needs the text the person agrees to", Single(With(Item("c", FormItemType.Consent))));
        Assert.Contains("is empty", Single(With(Item("g", FormItemType.Group))));
        Assert.Contains("only choice questions can take several", Single(With(Item("c", FormItemType.String) with { Repeats = true })));
        Assert.Contains("codes must differ", Single(With(Item("c", FormItemType.Choice) with { Options = [new("a", "A"), new("a", "B")] })));
        Assert.Contains("needs its text", Single(With(Item("c", FormItemType.String, " "))));
        Assert.Contains("staff fill in", Single(With(Item("s", FormItemType.String) with { StaffOnly = true },
            Item("p", FormItemType.String) with { EnableWhen = [new("s", EnableOperator.Exists, null)] })));
    }

    [Fact]
    public void Limits_give_a_specific_message()
    {
        var many = With([.. Enumerable.Range(0, FormLimits.MaxItems + 1).Select(i => Item($"q{i}", FormItemType.String))]);
        Assert.Contains($"has {FormLimits.MaxItems + 1} items; a form may have at most {FormLimits.MaxItems}", Single(many));

        var deep = Item("leaf", FormItemType.String);
        for (var i = 0; i < FormLimits.MaxDepth; i++)
            deep = Item($"g{i}", FormItemType.Group) with { Items = [deep] };
        Assert.Contains($"nested {FormLimits.MaxDepth + 1} levels deep", Single(With(deep)));

        var longText = Item("q", FormItemType.String, new string('x', FormLimits.MaxQuestionTextLength + 1));
        Assert.Contains($"keep it to {FormLimits.MaxQuestionTextLength:N0}", Single(With(longText)));
        Assert.Contains("The form's title", Single(new FormDefinition(new string('t', FormLimits.MaxTitleLength + 1), null, [Item("q", FormItemType.String)])));
    }

    [Fact]
    public void A_draft_may_be_unfinished_but_not_oversized()
    {
        var unfinished = With(Item("", FormItemType.Choice, ""));
        Assert.Empty(FormDefinitionRules.CheckLimits(unfinished));
        Assert.NotEmpty(FormDefinitionRules.Check(unfinished));
    }
}
