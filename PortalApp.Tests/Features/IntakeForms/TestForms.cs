using PortalApp.Features.IntakeForms;

namespace PortalApp.Tests.Features.IntakeForms;

/// <summary>Definitions the intake-form tests share: one item of every type, in two sections, with rules and a nested group.</summary>
public static class TestForms
{
    public static FormItem Item(string linkId, FormItemType type, string? text = null, bool required = false) =>
        new() { LinkId = linkId, Type = type, Text = text ?? linkId, Required = required };

    public static readonly AnswerOption[] Colours = [new("red", "Red"), new("green", "Green"), new("blue", "Blue")];

    public static FormDefinition EveryType => new("Every type", "One of each",
    [
        new FormItem
        {
            LinkId = "s1", Type = FormItemType.Group, Text = "Section one",
            Items =
            [
                Item("intro", FormItemType.Display, "Please answer."),
                Item("name", FormItemType.String, "Name", required: true) with { MaxLength = 20, Help = "As on your health card" },
                Item("story", FormItemType.Text, "Story"),
                Item("age", FormItemType.Integer, "Age"),
                Item("weight", FormItemType.Decimal, "Weight"),
                Item("born", FormItemType.Date, "Born"),
                Item("smoker", FormItemType.Boolean, "Smoker"),
                Item("colour", FormItemType.Choice, "Colour") with { Options = Colours, ChoiceDisplay = ChoiceDisplay.DropDown },
                Item("colours", FormItemType.Choice, "Colours") with { Options = Colours, Repeats = true },
                Item("pet", FormItemType.OpenChoice, "Pet") with { Options = [new("cat", "Cat"), new("dog", "Dog")] },
            ],
        },
        new FormItem
        {
            LinkId = "s2", Type = FormItemType.Group, Text = "Section two",
            Items =
            [
                Item("consent", FormItemType.Consent, "Consent") with { ConsentText = "I agree to treatment." },
                Item("card", FormItemType.Attachment, "Insurance card"),
                Item("per-day", FormItemType.Integer, "Per day", required: true) with { EnableWhen = [new("smoker", EnableOperator.Equals, "true")] },
                Item("staff-note", FormItemType.Text, "Staff note") with { StaffOnly = true },
                new FormItem
                {
                    LinkId = "older", Type = FormItemType.Group, Text = "For older patients",
                    EnableWhen = [new("age", EnableOperator.GreaterOrEqual, "65")],
                    Items =
                    [
                        Item("falls", FormItemType.Boolean, "Any falls?", required: true),
                        Item("falls-count", FormItemType.Integer, "How many?") with { EnableWhen = [new("falls", EnableOperator.Equals, "true")] },
                    ],
                },
            ],
        },
    ]);

    public static FormAnswers Answers(params (string LinkId, FormAnswer Answer)[] answers) =>
        new(answers.ToDictionary(a => a.LinkId, a => a.Answer));
}
