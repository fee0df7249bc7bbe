using System.Security.Cryptography;
using System.Text;

namespace PortalApp.Features.IntakeForms.Builder;

/// <summary>Where a moved item ended up, for the builder's announcement ("Moved … to position 3 of 7").</summary>
public sealed record MoveResult(FormDefinition Definition, string? SectionTitle, int Position, int Count);

/// <summary>
/// The builder's edits as pure functions from one <see cref="FormDefinition"/> to the next, so the razor files only render
/// and the rules (stable link ids, stable option codes, moves across sections) are tested without a browser.
/// </summary>
public static class FormEdits
{
    /// <summary>
    /// A new link id: random rather than counted, so an id freed by a deleted question is never handed to a new one and an
    /// old response can never be matched to a different question. Never derived from the label, so editing it changes nothing.
    /// </summary>
    public static string NewLinkId(FormDefinition definition, string prefix)
    {
        var taken = Flatten(definition.Items).Select(i => i.LinkId).ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            var id = $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
            if (!taken.Contains(id))
                return id;
        }
    }

    public static FormDefinition AddSection(FormDefinition definition) =>
        definition with
        {
            Items = [.. definition.Items, new FormItem { LinkId = NewLinkId(definition, "section"), Type = FormItemType.Group, Text = "" }],
        };

    public static FormDefinition AddQuestion(FormDefinition definition, string parentLinkId, QuestionKind kind)
    {
        var item = QuestionKinds.Apply(new FormItem { LinkId = NewLinkId(definition, "q"), Type = FormItemType.String, Text = "" }, kind);
        return Update(definition, parentLinkId, parent => parent with { Items = [.. parent.Items, item] });
    }

    public static FormDefinition Update(FormDefinition definition, string linkId, Func<FormItem, FormItem> change) =>
        definition with { Items = Update(definition.Items, linkId, change) };

    private static IReadOnlyList<FormItem> Update(IReadOnlyList<FormItem> items, string linkId, Func<FormItem, FormItem> change) =>
        [.. items.Select(i => i.LinkId == linkId ? change(i) : i.Items.Count == 0 ? i : i with { Items = Update(i.Items, linkId, change) })];

    public static FormDefinition Remove(FormDefinition definition, string linkId) =>
        definition with { Items = Remove(definition.Items, linkId) };

    private static IReadOnlyList<FormItem> Remove(IReadOnlyList<FormItem> items, string linkId) =>
        [.. items.Where(i => i.LinkId != linkId).Select(i => i.Items.Count == 0 ? i : i with { Items = Remove(i.Items, linkId) })];

    /// <summary>
    /// Moves an item one place up (-1) or down (+1) among its siblings. A question at the edge of its section moves on to the
    /// end of the previous section or the start of the next one, so the buttons alone can carry a question anywhere.
    /// </summary>
    public static MoveResult? Move(FormDefinition definition, string linkId, int direction)
    {
        var sections = definition.Items;
        var sectionIndex = IndexOf(sections, linkId);
        if (sectionIndex >= 0)
            return Swap(sections, sectionIndex, direction) is { } moved
                ? new MoveResult(definition with { Items = moved }, null, sectionIndex + direction + 1, sections.Count) : null;

        var parent = Flatten(sections).FirstOrDefault(p => p.Items.Any(i => i.LinkId == linkId));
        if (parent is null)
            return null;
        var index = IndexOf(parent.Items, linkId);
        if (Swap(parent.Items, index, direction) is { } swapped)
            return new MoveResult(Update(definition, parent.LinkId, p => p with { Items = swapped }), parent.Text, index + direction + 1, swapped.Count);

        // At the edge of a section: on to the neighbouring section. Questions inside a nested group stay in their group.
        var from = IndexOf(sections, parent.LinkId);
        var to = from + direction;
        if (from < 0 || to < 0 || to >= sections.Count)
            return null;
        var item = parent.Items[index];
        var target = sections[to];
        var targetItems = direction < 0 ? [.. target.Items, item] : (IReadOnlyList<FormItem>)[item, .. target.Items];
        var result = Remove(definition, linkId);
        result = Update(result, target.LinkId, t => t with { Items = targetItems });
        return new MoveResult(result, target.Text, direction < 0 ? targetItems.Count : 1, targetItems.Count);
    }

    /// <summary>
    /// A mouse drag: the item dropped on <paramref name="targetLinkId"/> takes its place (after it when moving down among the
    /// same siblings, before it otherwise, as the eye expects). A section dropped on anything in another section moves to that
    /// section's place; a question dropped on a section's own area goes to that section's end. An item never moves into itself.
    /// </summary>
    public static MoveResult? MoveTo(FormDefinition definition, string linkId, string targetLinkId)
    {
        if (linkId == targetLinkId || Find(definition, linkId) is not { } item || Find(definition, targetLinkId) is null
            || Flatten(item.Items).Any(i => i.LinkId == targetLinkId))
            return null;
        var sections = definition.Items;
        var from = IndexOf(sections, linkId);
        if (from >= 0)
        {
            var to = sections.Select((s, i) => (s, i)).First(x => x.s.LinkId == targetLinkId || Flatten(x.s.Items).Any(c => c.LinkId == targetLinkId)).i;
            if (to == from)
                return null;
            var list = sections.ToList();
            list.RemoveAt(from);
            list.Insert(to, item);
            return new MoveResult(definition with { Items = list }, null, to + 1, list.Count);
        }
        var parent = IndexOf(sections, targetLinkId) >= 0 ? null : Flatten(sections).First(p => p.Items.Any(i => i.LinkId == targetLinkId));
        var without = Remove(definition, linkId);
        if (parent is null)
        {
            // Dropped on a section itself, not on one of its questions: to the end of that section.
            if (sections[IndexOf(sections, targetLinkId)].Items is [.., var last] && last.LinkId == linkId)
                return null;
            var section = Find(without, targetLinkId)!;
            return new MoveResult(Update(without, targetLinkId, s => s with { Items = [.. s.Items, item] }), section.Text, section.Items.Count + 1, section.Items.Count + 1);
        }
        var after = IndexOf(parent.Items, linkId) is var index && index >= 0 && index < IndexOf(parent.Items, targetLinkId);
        var siblings = Find(without, parent.LinkId)!.Items.ToList();
        var at = IndexOf(siblings, targetLinkId) + (after ? 1 : 0);
        siblings.Insert(at, item);
        return new MoveResult(Update(without, parent.LinkId, p => p with { Items = siblings }), parent.Text, at + 1, siblings.Count);
    }

    private static IReadOnlyList<FormItem>? Swap(IReadOnlyList<FormItem> items, int index, int direction)
    {
        var other = index + direction;
        if (index < 0 || other < 0 || other >= items.Count)
            return null;
        var list = items.ToList();
        (list[index], list[other]) = (list[other], list[index]);
        return list;
    }

    private static int IndexOf(IReadOnlyList<FormItem> items, string linkId)
    {
        for (var i = 0; i < items.Count; i++)
            if (items[i].LinkId == linkId)
                return i;
        return -1;
    }

    /// <summary>
    /// Each question's number in reading order across the whole form, sections not counted: the builder labels its inputs
    /// "Question 3 label" and problems say "Question 3", so people and screen readers can tell many questions apart.
    /// </summary>
    public static Dictionary<string, int> QuestionNumbers(FormDefinition definition) =>
        Flatten(definition.Items.SelectMany(s => s.Items)).Select((item, i) => (item.LinkId, Number: i + 1))
            .DistinctBy(x => x.LinkId).ToDictionary(x => x.LinkId, x => x.Number, StringComparer.Ordinal);

    /// <summary>Where an item is, as the builder shows it: "Section 2" or "Question 3"; null for the form itself.</summary>
    public static string? Place(FormDefinition definition, string? linkId)
    {
        if (linkId is null)
            return null;
        var section = IndexOf(definition.Items, linkId);
        if (section >= 0)
            return $"Section {section + 1}";
        return QuestionNumbers(definition).TryGetValue(linkId, out var number) ? $"Question {number}" : null;
    }

    /// <summary>Every item in reading order, groups before their children.</summary>
    public static IEnumerable<FormItem> Flatten(IEnumerable<FormItem> items) =>
        items.SelectMany(i => (IEnumerable<FormItem>)[i, .. Flatten(i.Items)]);

    /// <summary>The questions a show/hide rule on <paramref name="linkId"/> may refer to: answerable ones that come earlier.</summary>
    public static IReadOnlyList<FormItem> QuestionsBefore(FormDefinition definition, string linkId) =>
        [.. Flatten(definition.Items).TakeWhile(i => i.LinkId != linkId).Where(i => QuestionKinds.IsAnswerable(i.Type))];

    public static FormItem? Find(FormDefinition definition, string linkId) =>
        Flatten(definition.Items).FirstOrDefault(i => i.LinkId == linkId);

    /// <summary>
    /// A new answer option whose code is made once from its text ("Every day" → "every-day") and kept when the text is
    /// edited later: old responses store the code and must keep matching.
    /// </summary>
    public static FormItem AddOption(FormItem item, string display)
    {
        var text = display.Trim();
        var stem = Slug(text);
        var code = stem;
        for (var n = 2; item.Options.Any(o => o.Code == code); n++)
            code = $"{stem}-{n}";
        return item with { Options = [.. item.Options, new AnswerOption(code, text)] };
    }

    public static FormItem RenameOption(FormItem item, string code, string display) =>
        item with { Options = [.. item.Options.Select(o => o.Code == code ? o with { Display = display } : o)] };

    private static string Slug(string text)
    {
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
                slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-')
                slug.Append('-');
            if (slug.Length >= 40)
                break;
        }
        var code = slug.ToString().Trim('-');
        return code.Length == 0 ? "option" : code;
    }
}
