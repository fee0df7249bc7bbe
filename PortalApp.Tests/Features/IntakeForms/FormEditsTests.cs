using PortalApp.Features.IntakeForms;
using PortalApp.Features.IntakeForms.Builder;

namespace PortalApp.Tests.Features.IntakeForms;

public sealed class FormEditsTests
{
    private static FormItem Question(string linkId) => new() { LinkId = linkId, Type = FormItemType.String, Text = linkId };

    private static FormItem Section(string linkId, params FormItem[] items) =>
        new() { LinkId = linkId, Type = FormItemType.Group, Text = linkId, Items = items };

    [Fact]
    public void A_question_added_after_one_is_removed_never_gets_the_removed_ones_link_id()
    {
        var form = FormEdits.AddQuestion(new FormDefinition("F", null, [Section("s1")]), "s1", QuestionKind.ShortText);
        var removed = form.Items[0].Items[0].LinkId;

        var again = FormEdits.AddQuestion(FormEdits.Remove(form, removed), "s1", QuestionKind.ShortText);

        Assert.NotEqual(removed, again.Items[0].Items[0].LinkId);
    }

    [Fact]
    public void Move_down_from_the_bottom_of_a_section_starts_the_next_one()
    {
        var form = new FormDefinition("F", null, [Section("s1", Question("a"), Question("b")), Section("s2", Question("c"))]);

        var moved = FormEdits.Move(form, "b", 1)!;

        Assert.Equal(["a"], moved.Definition.Items[0].Items.Select(i => i.LinkId));
        Assert.Equal(["b", "c"], moved.Definition.Items[1].Items.Select(i => i.LinkId));
        Assert.Equal(("s2", 1, 2), (moved.SectionTitle, moved.Position, moved.Count));
    }

    [Fact]
    public void Sections_move_among_sections_and_a_question_in_a_nested_group_stays_in_its_group()
    {
        var form = new FormDefinition("F", null, [Section("s1", Section("g", Question("a"))), Section("s2")]);

        Assert.Equal(["s2", "s1"], FormEdits.Move(form, "s1", 1)!.Definition.Items.Select(i => i.LinkId));
        Assert.Null(FormEdits.Move(form, "a", 1));
        Assert.Null(FormEdits.Move(form, "s2", 1));
    }

    private static string Order(FormDefinition form) =>
        string.Join(" | ", form.Items.Select(s => s.LinkId + ": " + string.Join(" ", FormEdits.Flatten(s.Items).Select(i => i.LinkId))));

    [Theory]
    [InlineData("a", "c", "s1: b c a | s2: d | s3: ")]      // down among siblings: after the one dropped on
    [InlineData("c", "a", "s1: c a b | s2: d | s3: ")]      // up among siblings: before it
    [InlineData("d", "b", "s1: a d b c | s2:  | s3: ")]     // into another section: before the one dropped on
    [InlineData("a", "s3", "s1: b c | s2: d | s3: a")]      // on a section's own area: to its end
    [InlineData("s3", "b", "s3:  | s1: a b c | s2: d")]     // a section dropped on a question: to that question's section's place
    [InlineData("s1", "s2", "s2: d | s1: a b c | s3: ")]
    public void A_dragged_item_takes_the_place_of_the_one_it_is_dropped_on(string dragged, string target, string expected)
    {
        var form = new FormDefinition("F", null, [Section("s1", Question("a"), Question("b"), Question("c")), Section("s2", Question("d")), Section("s3")]);

        var moved = FormEdits.MoveTo(form, dragged, target)!;

        Assert.Equal(expected, Order(moved.Definition));
    }

    [Fact]
    public void A_drop_reports_where_the_item_landed()
    {
        var form = new FormDefinition("F", null, [Section("s1", Question("a"), Question("b")), Section("s2", Question("c"))]);

        var moved = FormEdits.MoveTo(form, "a", "c")!;

        Assert.Equal(("s2", 1, 2), (moved.SectionTitle, moved.Position, moved.Count));
    }

    [Theory]
    [InlineData("g", "a")]   // a group into itself
    [InlineData("a", "a")]   // onto itself
    [InlineData("b", "s1")]  // already last in the section it is dropped on
    [InlineData("s1", "a")]  // a section onto its own question
    [InlineData("a", "nowhere")]
    public void A_drop_that_would_change_nothing_or_nest_an_item_in_itself_is_refused(string dragged, string target)
    {
        var form = new FormDefinition("F", null, [Section("s1", Section("g", Question("a")), Question("b"))]);

        Assert.Null(FormEdits.MoveTo(form, dragged, target));
    }

    [Fact]
    public void Questions_are_numbered_across_sections_and_a_draft_with_a_repeated_link_id_still_gets_numbers()
    {
        // A draft is saved before the publish rules run, so two items may share a link id until the clinic fixes it.
        var form = new FormDefinition("F", null, [Section("s1", Question("a"), Section("g", Question("b"))), Section("s2", Question("a"), Question("c"))]);

        var numbers = FormEdits.QuestionNumbers(form);

        Assert.Equal([("a", 1), ("g", 2), ("b", 3), ("c", 5)], numbers.Select(n => (n.Key, n.Value)).OrderBy(n => n.Value));
        Assert.Equal(("Section 2", "Question 5", (string?)null), (FormEdits.Place(form, "s2"), FormEdits.Place(form, "c"), FormEdits.Place(form, null)));
    }
}
