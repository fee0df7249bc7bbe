using Bunit;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Builder;

namespace PortalApp.Tests.Features.IntakeForms;

public sealed class FormBuilderTests : BuilderTesting
{
    private static FormItem Question(string linkId, string text, FormItemType type = FormItemType.String) =>
        new() { LinkId = linkId, Type = type, Text = text };

    private static FormItem Section(string linkId, string text, params FormItem[] items) =>
        new() { LinkId = linkId, Type = FormItemType.Group, Text = text, Items = items };

    private IRenderedComponent<FormBuilderHost> RenderBuilder(FormDefinition definition) =>
        Render<FormBuilderHost>(p => p.Add(h => h.Definition, definition));

    [Fact]
    public async Task Adding_a_section_and_one_question_of_each_type_builds_the_matching_items()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null, []));

        await Button(builder, "Add section").ClickAsync(new());
        Labelled(builder, "Section 1 title").Change("About you");
        foreach (var kind in QuestionKinds.All)
        {
            Choose(builder, "Type of new question in About you", QuestionKinds.Name(kind));
            await Button(builder, "Add question to About you").ClickAsync(new());
        }

        var section = Assert.Single(builder.Instance.Definition.Items);
        Assert.Equal(FormItemType.Group, section.Type);
        Assert.Equal("About you", section.Text);
        Assert.Equal(
            [FormItemType.String, FormItemType.Text, FormItemType.Integer, FormItemType.Decimal, FormItemType.Date, FormItemType.Boolean,
             FormItemType.Choice, FormItemType.Choice, FormItemType.OpenChoice, FormItemType.Consent, FormItemType.Attachment,
             FormItemType.Display, FormItemType.Group],
            section.Items.Select(i => i.Type));
        Assert.Equal([false, false, false, false, false, false, false, true, false, false, false, false, false], section.Items.Select(i => i.Repeats));
        var ids = FormEdits.Flatten(builder.Instance.Definition.Items).Select(i => i.LinkId).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[A-Za-z0-9._-]{1,64}$", id));
    }

    [Fact]
    public void Editing_a_label_keeps_the_link_id_and_sets_the_flags()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null, [Section("s1", "About you", Question("q1", "Smoke?"))]));

        Labelled(builder, "Question 1 label").Change("Do you smoke?");
        Labelled(builder, "Help text for Do you smoke?").Change("Cigarettes, cigars or vaping.");
        Labelled(builder, "Required: Do you smoke?").Change(true);
        Labelled(builder, "Staff only: Do you smoke?").Change(true);

        var question = builder.Instance.Definition.Items[0].Items[0];
        Assert.Equal(("q1", "Do you smoke?", "Cigarettes, cigars or vaping.", true, true),
            (question.LinkId, question.Text, question.Help, question.Required, question.StaffOnly));
    }

    [Fact]
    public async Task A_choice_keeps_the_code_made_from_its_first_text_when_the_text_is_edited()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null,
            [Section("s1", "Habits", Question("q1", "How often?", FormItemType.Choice))]));

        Labelled(builder, "New choice for How often?").Change("Every day");
        await Button(builder, "Add choice to How often?").ClickAsync(new());
        Labelled(builder, "New choice for How often?").Change("Every day");
        await Button(builder, "Add choice to How often?").ClickAsync(new());
        Labelled(builder, "Choice 1 of How often?").Change("Daily");

        Assert.Equal([new AnswerOption("every-day", "Daily"), new AnswerOption("every-day-2", "Every day")],
            builder.Instance.Definition.Items[0].Items[0].Options);
    }

    [Fact]
    public async Task A_rule_offers_only_the_answerable_questions_that_come_earlier()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null,
        [
            Section("s1", "First", Question("q1", "Do you smoke?", FormItemType.Boolean), Question("d1", "Thank you", FormItemType.Display)),
            Section("s2", "Second", Question("q2", "How many a day?", FormItemType.Integer), Question("q3", "Since when?", FormItemType.Date),
                Question("q4", "Anything else?")),
        ]));

        await Button(builder, "Add a show/hide rule to How many a day?").ClickAsync(new());

        Assert.Equal(["Do you smoke?"], Offered(builder, "Rule 1 for How many a day?: question"));
        Assert.Equal(new EnableWhen("q1", EnableOperator.Exists, null), Assert.Single(builder.Instance.Definition.Items[1].Items[0].EnableWhen));
    }

    [Fact]
    public async Task A_rule_on_a_yes_no_question_compares_with_yes_or_no_and_several_rules_choose_all_or_any()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null,
            [Section("s1", "First", Question("q1", "Do you smoke?", FormItemType.Boolean), Question("q2", "Age", FormItemType.Integer), Question("q3", "How many a day?"))]));

        await Button(builder, "Add a show/hide rule to How many a day?").ClickAsync(new());
        Choose(builder, "Rule 1 for How many a day?: question", "Do you smoke?");
        Choose(builder, "Rule 1 for How many a day?: condition", "equals");
        Choose(builder, "Rule 1 for How many a day?: value", "Yes");
        await Button(builder, "Add a show/hide rule to How many a day?").ClickAsync(new());
        Choose(builder, "Rule 2 for How many a day?: condition", "is greater than");
        Labelled(builder, "Rule 2 for How many a day?: value").Change("17");
        await Labelled(builder, "Any rule holds").ClickAsync(new());

        var question = builder.Instance.Definition.Items[0].Items[2];
        Assert.Equal([new EnableWhen("q1", EnableOperator.Equals, "true"), new EnableWhen("q2", EnableOperator.GreaterThan, "17")], question.EnableWhen);
        Assert.Equal(EnableBehavior.Any, question.EnableBehavior);
    }

    [Fact]
    public async Task Move_down_reorders_announces_and_keeps_focus_on_the_moved_questions_button()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null,
            [Section("s1", "Habits", Question("q1", "Do you smoke?"), Question("q2", "Do you drink?"), Question("q3", "Do you exercise?"))]));

        // The moved question keeps its component (keyed by link id), so the button is the one the person pressed.
        var pressed = ElementReferenceId(Button(builder, "Move down: Do you smoke?"));
        Assert.False(string.IsNullOrEmpty(pressed));

        // Enter on a focused <button> is a click in every browser; bUnit has no focus, so the click stands for the key.
        await Button(builder, "Move down: Do you smoke?").ClickAsync(new());

        Assert.Equal(["q2", "q1", "q3"], builder.Instance.Definition.Items[0].Items.Select(i => i.LinkId));
        Assert.Equal("Moved Do you smoke? in section Habits, to position 2 of 3.", builder.Find("[data-testid=builder-announcement]").TextContent);
        var focused = (Microsoft.AspNetCore.Components.ElementReference)JSInterop.VerifyFocusAsyncInvoke().Arguments[0]!;
        Assert.Equal(pressed, focused.Id);
    }

    [Fact]
    public async Task Move_up_from_the_top_of_a_section_carries_the_question_to_the_end_of_the_previous_one()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null,
        [
            Section("s1", "First", Question("q1", "Name")),
            Section("s2", "Second", Question("q2", "Do you smoke?"), Question("q3", "Age")),
        ]));

        await Button(builder, "Move up: Do you smoke?").ClickAsync(new());

        Assert.Equal(["q1", "q2"], builder.Instance.Definition.Items[0].Items.Select(i => i.LinkId));
        Assert.Equal(["q3"], builder.Instance.Definition.Items[1].Items.Select(i => i.LinkId));
        Assert.Equal("Moved Do you smoke? in section First, to position 2 of 2.", builder.Find("[data-testid=builder-announcement]").TextContent);
        var focused = (Microsoft.AspNetCore.Components.ElementReference)JSInterop.VerifyFocusAsyncInvoke().Arguments[0]!;
        Assert.Equal(ElementReferenceId(Button(builder, "Move up: Do you smoke?")), focused.Id);
    }

    [Fact]
    public async Task A_question_moved_to_the_very_top_hands_focus_to_its_move_down_button()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null, [Section("s1", "Only", Question("q1", "Name"), Question("q2", "Age"))]));
        var moveDown = ElementReferenceId(Button(builder, "Move down: Age")); // the component is kept, so is its button

        await Button(builder, "Move up: Age").ClickAsync(new());

        // "Move up" is now disabled and cannot hold focus; its neighbour takes it rather than focus falling to the page.
        Assert.True(Button(builder, "Move up: Age").HasAttribute("disabled"));
        var focused = (Microsoft.AspNetCore.Components.ElementReference)JSInterop.VerifyFocusAsyncInvoke().Arguments[0]!;
        Assert.Equal(moveDown, focused.Id);
    }

    [Fact]
    public void The_very_first_question_cannot_move_up_and_the_last_cannot_move_down()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null, [Section("s1", "Only", Question("q1", "Name"), Question("q2", "Age"))]));

        Assert.True(Button(builder, "Move up: Name").HasAttribute("disabled"));
        Assert.True(Button(builder, "Move down: Age").HasAttribute("disabled"));
        Assert.False(Button(builder, "Move down: Name").HasAttribute("disabled"));
    }

    [Fact]
    public void Each_question_is_numbered_in_reading_order_across_sections_so_its_inputs_can_be_told_apart()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null,
        [
            Section("s1", "About you", Question("q1", "Name"), Question("d1", "Thank you", FormItemType.Display)),
            Section("s2", "Habits", Question("q2", "Do you smoke?")),
        ]));

        Labelled(builder, "Question 3 label").Change("Do you vape?");

        Assert.Equal("Name", Labelled(builder, "Question 1 label").GetAttribute("value"));
        Assert.Equal("Thank you", Labelled(builder, "Question 2 text to show").GetAttribute("value"));
        Assert.Equal("Do you vape?", builder.Instance.Definition.Items[1].Items[0].Text);
        Assert.Equal(["Section 1 title", "Section 2 title"], builder.FindAll("label").Select(l => l.TextContent.Trim()).Where(t => t.StartsWith("Section ") && t.EndsWith(" title")));
    }

    [Fact]
    public async Task Dropping_a_dragged_question_onto_another_moves_it_there_and_announces_it()
    {
        var builder = RenderBuilder(new FormDefinition("Intake", null,
        [
            Section("s1", "Habits", Question("q1", "Do you smoke?"), Question("q2", "Do you drink?")),
            Section("s2", "History", Question("q3", "Operations")),
        ]));
        Assert.NotNull(builder.Find("[data-drag='q1']"));

        await builder.InvokeAsync(() => builder.FindComponent<FormBuilder>().Instance.DropAsync("q1", "q3"));

        Assert.Equal(["q2"], builder.Instance.Definition.Items[0].Items.Select(i => i.LinkId));
        Assert.Equal(["q1", "q3"], builder.Instance.Definition.Items[1].Items.Select(i => i.LinkId));
        Assert.Equal("Moved Do you smoke? in section History, to position 1 of 2.", builder.Find("[data-testid=builder-announcement]").TextContent);
    }

    [Theory]
    [InlineData("nope", "q2")]
    [InlineData("q1", "nope")]
    [InlineData("q1", "q1")]
    public async Task A_drop_naming_something_that_is_not_another_item_of_the_form_moves_nothing(string dragged, string target)
    {
        var form = new FormDefinition("Intake", null, [Section("s1", "Habits", Question("q1", "Do you smoke?"), Question("q2", "Do you drink?"))]);
        var builder = RenderBuilder(form);

        await builder.InvokeAsync(() => builder.FindComponent<FormBuilder>().Instance.DropAsync(dragged, target));

        Assert.Same(form, builder.Instance.Definition);
        Assert.Equal("", builder.Find("[data-testid=builder-announcement]").TextContent);
    }
}
