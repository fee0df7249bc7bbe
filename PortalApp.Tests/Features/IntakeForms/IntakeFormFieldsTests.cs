using AngleSharp.Dom;
using Bunit;
using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Rendering;

namespace PortalApp.Tests.Features.IntakeForms;

/// <summary>The patient page's fields: plain HTML, found by label as a patient's screen reader finds them.</summary>
public sealed class IntakeFormFieldsTests : BunitContext
{
    private static readonly FormDefinition Form = new("Health history", null,
    [
        new FormItem
        {
            LinkId = "about", Type = FormItemType.Group, Text = "About you", Items =
            [
                new FormItem { LinkId = "name", Type = FormItemType.String, Text = "Preferred name", Required = true, Help = "What we should call you.", MaxLength = 80 },
                new FormItem { LinkId = "born", Type = FormItemType.Date, Text = "Date of birth" },
                new FormItem { LinkId = "smoke", Type = FormItemType.Boolean, Text = "Do you smoke?" },
                new FormItem
                {
                    LinkId = "perday", Type = FormItemType.Integer, Text = "Cigarettes a day",
                    EnableWhen = [new EnableWhen("smoke", EnableOperator.Equals, "true")],
                },
                new FormItem
                {
                    LinkId = "mood", Type = FormItemType.Choice, Text = "How is your mood?", ChoiceDisplay = ChoiceDisplay.DropDown,
                    Options = [new AnswerOption("good", "Good"), new AnswerOption("low", "Low")],
                },
                new FormItem
                {
                    LinkId = "cond", Type = FormItemType.OpenChoice, Text = "Conditions", Repeats = true,
                    Options = [new AnswerOption("asthma", "Asthma"), new AnswerOption("diabetes", "Diabetes")],
                },
                new FormItem { LinkId = "notes", Type = FormItemType.Text, Text = "Clinician notes", StaffOnly = true },
                new FormItem { LinkId = "card", Type = FormItemType.Attachment, Text = "Insurance card" },
            ],
        },
        new FormItem
        {
            LinkId = "consent", Type = FormItemType.Group, Text = "Consent", Items =
            [
                new FormItem { LinkId = "agree", Type = FormItemType.Consent, Text = "Consent to treatment", ConsentText = "I consent to assessment and treatment.", Required = true },
            ],
        },
    ]);

    private IRenderedComponent<IntakeFormFields> RenderFields(string? section = null,
        Dictionary<string, IReadOnlyList<string>>? values = null, Dictionary<string, string>? errors = null) =>
        Render<IntakeFormFields>(p => p.Add(f => f.Definition, Form).Add(f => f.SectionLinkId, section).Add(f => f.Values, values).Add(f => f.Errors, errors));

    private static IElement Labelled(IRenderedComponent<IntakeFormFields> fields, string label)
    {
        var target = Assert.Single(fields.FindAll("label"), l => l.TextContent.Trim() == label).GetAttribute("for");
        return fields.Find($"[id='{target}']");
    }

    /// <summary>What a screen reader reads after the label: the elements aria-describedby names, in order.</summary>
    private static string DescribedBy(IRenderedComponent<IntakeFormFields> fields, IElement element) =>
        string.Join(" ", element.GetAttribute("aria-describedby")!.Split(' ').Select(id => fields.Find($"[id='{id}']").TextContent.Trim()));

    [Fact]
    public void Every_question_has_a_label_and_an_input_named_after_its_link_id()
    {
        var fields = RenderFields();

        Assert.Equal("a.name", Labelled(fields, "Preferred name (required)").GetAttribute("name"));
        Assert.Equal("80", Labelled(fields, "Preferred name (required)").GetAttribute("maxlength"));
        Assert.Equal("date", Labelled(fields, "Date of birth").GetAttribute("type"));
        Assert.Equal("number", Labelled(fields, "Cigarettes a day").GetAttribute("type"));
        Assert.Equal("SELECT", Labelled(fields, "How is your mood?").TagName);
        Assert.Equal("a.cond", Labelled(fields, "Diabetes").GetAttribute("name"));
        Assert.Equal("checkbox", Labelled(fields, "Diabetes").GetAttribute("type"));
        Assert.Equal("a.cond.other", Labelled(fields, "Other (please describe)").GetAttribute("name"));
        Assert.Equal("file", Labelled(fields, "Insurance card").GetAttribute("type"));
        Assert.Equal("a.agree.agree", Labelled(fields, "I agree").GetAttribute("name"));
        Assert.Equal("a.agree.name", Labelled(fields, "Type your full name to sign").GetAttribute("name"));
        Assert.Equal(["Do you smoke?", "Conditions", "Consent to treatment (required)"],
            fields.FindAll("fieldset.form-question legend").Select(l => l.TextContent.Trim()));
        Assert.Equal(["About you", "Consent"], fields.FindAll("fieldset.form-group > legend").Select(l => l.TextContent.Trim()));
        Assert.Contains("I consent to assessment and treatment.", fields.Find(".form-consent-text").TextContent);
    }

    [Fact]
    public void Help_text_is_tied_to_its_input_and_required_is_said_in_words()
    {
        var fields = RenderFields();
        var name = Labelled(fields, "Preferred name (required)");

        Assert.Equal("true", name.GetAttribute("aria-required"));
        Assert.Null(name.GetAttribute("required")); // a draft may be saved half-filled
        Assert.Equal("What we should call you.", DescribedBy(fields, name));
    }

    [Fact]
    public void Staff_only_questions_are_never_rendered()
    {
        var fields = RenderFields();

        Assert.DoesNotContain("Clinician notes", fields.Markup);
        Assert.Empty(fields.FindAll("[name='a.notes']"));
    }

    [Fact]
    public void Saved_answers_are_filled_in()
    {
        var fields = RenderFields(values: new()
        {
            ["name"] = ["Sam"], ["born"] = ["1980-04-02"], ["smoke"] = ["true"], ["perday"] = ["12"], ["mood"] = ["low"],
            ["cond"] = ["asthma"], ["cond.other"] = ["Hay fever"], ["agree.agree"] = ["true"], ["agree.name"] = ["Sam Smith"],
        });

        Assert.Equal("Sam", Labelled(fields, "Preferred name (required)").GetAttribute("value"));
        Assert.Equal("1980-04-02", Labelled(fields, "Date of birth").GetAttribute("value"));
        Assert.True(Labelled(fields, "Yes").HasAttribute("checked"));
        Assert.False(Labelled(fields, "No").HasAttribute("checked"));
        Assert.Equal("12", Labelled(fields, "Cigarettes a day").GetAttribute("value"));
        Assert.True(fields.Find("option[value=low]").HasAttribute("selected"));
        Assert.True(Labelled(fields, "Asthma").HasAttribute("checked"));
        Assert.False(Labelled(fields, "Diabetes").HasAttribute("checked"));
        Assert.Equal("Hay fever", Labelled(fields, "Other (please describe)").GetAttribute("value"));
        Assert.True(Labelled(fields, "I agree").HasAttribute("checked"));
        Assert.Equal("Sam Smith", Labelled(fields, "Type your full name to sign").GetAttribute("value"));
    }

    [Fact]
    public void An_error_is_shown_beside_its_question_and_marks_the_input_invalid()
    {
        var fields = RenderFields(errors: new() { ["perday"] = "Enter a whole number, like 42.", ["agree"] = "Tick \"I agree\" and type your full name." });

        var perDay = Labelled(fields, "Cigarettes a day");
        Assert.Equal("true", perDay.GetAttribute("aria-invalid"));
        Assert.Equal("Enter a whole number, like 42.", DescribedBy(fields, perDay));
        var consent = fields.Find("fieldset[data-link-id=agree]");
        Assert.Contains("Tick \"I agree\"", DescribedBy(fields, consent));
        Assert.Null(Labelled(fields, "Date of birth").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void Show_hide_rules_travel_with_the_question_for_the_pages_script()
    {
        var perDay = RenderFields().Find("[data-link-id=perday]");

        Assert.Equal("""[{"question":"smoke","operator":"equals","answer":"true"}]""", perDay.GetAttribute("data-enable-when"));
    }

    [Fact]
    public void One_section_renders_alone()
    {
        var fields = RenderFields(section: "consent");

        Assert.Single(fields.FindAll("fieldset.form-group"));
        Assert.Empty(fields.FindAll("[name='a.name']"));
        Assert.NotEmpty(fields.FindAll("[name='a.agree.agree']"));
    }
}
