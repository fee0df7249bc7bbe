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
}
