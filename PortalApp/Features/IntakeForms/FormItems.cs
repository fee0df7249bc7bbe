namespace PortalApp.Features.IntakeForms;

/// <summary>Walks a definition's items in document order (the order a patient reads them), with their depth.</summary>
public static class FormItems
{
    public static IEnumerable<(FormItem Item, int Depth)> InOrder(IEnumerable<FormItem> items, int depth = 1)
    {
        foreach (var item in items)
        {
            yield return (item, depth);
            foreach (var child in InOrder(item.Items ?? [], depth + 1))
                yield return child;
        }
    }

    /// <summary>Link ids of staff-only items and of everything inside a staff-only group (the patient sees none of them).</summary>
    public static IReadOnlySet<string> StaffOnly(IEnumerable<FormItem> items)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.StaffOnly)
                ids.UnionWith(InOrder([item]).Select(i => i.Item.LinkId));
            else
                ids.UnionWith(StaffOnly(item.Items ?? []));
        }
        return ids;
    }

    /// <summary>Types whose answer is a value another item's rule can test.</summary>
    public static bool TakesAnswer(FormItemType type) => type is not (FormItemType.Display or FormItemType.Group);

    /// <summary>How a problem names the item: its text as the builder shows it, else its link id.</summary>
    public static string Label(FormItem item)
    {
        var text = string.IsNullOrWhiteSpace(item.Text) ? item.LinkId : item.Text.Trim();
        return text.Length > 60 ? text[..57] + "…" : text;
    }
}
