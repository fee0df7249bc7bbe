using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace PortalApp.Features.Templates;

/// <summary>
/// The plain-text part of a templated email, read off Markdig's parsed document (the same one the HTML part comes
/// from): paragraphs and lists as a person would type them in a plain email, links written out as "text: address",
/// and no Markdown marks (**, _, #). Values arrive escaped as character references, which the document holds decoded.
/// </summary>
public static class MarkdownText
{
    public static string From(MarkdownDocument document)
    {
        var text = new StringBuilder();
        var lastLine = -1;
        foreach (var block in document)
        {
            // Extra blank lines between paragraphs are kept: the message template leaves room there for staff to write.
            if (lastLine >= 0 && block.Line - lastLine > 2)
                text.Append('\n', block.Line - lastLine - 2);
            Blocks([block], text, indent: "");
            lastLine = LastLine(block);
        }
        return text.ToString().Trim();
    }

    private static int LastLine(Block block) => block switch
    {
        ContainerBlock { Count: > 0 } container => LastLine(container[^1]),
        // Markdig releases a paragraph's source lines once it has read its inlines: count its line breaks instead.
        LeafBlock { Inline: { } inline } leaf => leaf.Line + inline.Descendants<LineBreakInline>().Count(),
        LeafBlock leaf => leaf.Line + Math.Max(leaf.Lines.Count - 1, 0),
        _ => block.Line,
    };

    private static void Blocks(IEnumerable<Block> container, StringBuilder text, string indent)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case ListBlock list:
                    List(list, text, indent);
                    break;
                case QuoteBlock quote:
                    Blocks(quote, text, indent + "> ");
                    break;
                case ContainerBlock other:
                    Blocks(other, text, indent);
                    break;
                case ThematicBreakBlock:
                    Paragraph(text, indent, "----------");
                    break;
                case LeafBlock { Inline: { } inline }:
                    var line = new StringBuilder();
                    Inlines(inline, line);
                    Paragraph(text, indent, line.ToString());
                    break;
                case LeafBlock leaf:
                    // Code blocks keep their lines as typed.
                    Paragraph(text, indent, leaf.Lines.ToString());
                    break;
            }
        }
    }

    private static void List(ListBlock list, StringBuilder text, string indent)
    {
        var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? $"{number++}. " : "- ";
            var body = new StringBuilder();
            Blocks(item, body, "");
            var lines = body.ToString().Trim().Split('\n');
            text.Append(indent).Append(marker).Append(lines[0]).Append('\n');
            foreach (var line in lines.Skip(1))
                text.Append(indent).Append(new string(' ', marker.Length)).Append(line).Append('\n');
        }
        text.Append('\n');
    }

    private static void Paragraph(StringBuilder text, string indent, string content)
    {
        foreach (var line in content.TrimEnd().Split('\n'))
            text.Append(indent).Append(line.TrimEnd('\r')).Append('\n');
        text.Append('\n');
    }

    private static void Inlines(ContainerInline container, StringBuilder line)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LinkInline { IsImage: true } image:
                    Inlines(image, line);
                    break;
                case LinkInline link:
                    var label = new StringBuilder();
                    Inlines(link, label);
                    Link(line, label.ToString(), link.GetDynamicUrl?.Invoke() ?? link.Url ?? "");
                    break;
                case AutolinkInline autolink:
                    Link(line, "", autolink.Url);
                    break;
                case ContainerInline other: // emphasis, strikethrough: their text without the marks
                    Inlines(other, line);
                    break;
                case HtmlEntityInline entity:
                    line.Append(entity.Transcoded.ToString());
                    break;
                case CodeInline code:
                    line.Append(code.Content);
                    break;
                case LineBreakInline:
                    line.Append('\n');
                    break;
                case LiteralInline literal:
                    line.Append(literal.Content.ToString());
                    break;
                case HtmlInline html:
                    line.Append(html.Tag);
                    break;
            }
        }
    }

    /// <summary>"Set up your access: https://…", or the address alone when the label is the address.</summary>
    private static void Link(StringBuilder line, string label, string url)
    {
        var address = url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? url["mailto:".Length..] : url;
        var shown = label.Trim();
        if (shown.Length == 0 || shown == address || shown == url)
            line.Append(address);
        else
            line.Append(shown).Append(": ").Append(address);
    }
}
