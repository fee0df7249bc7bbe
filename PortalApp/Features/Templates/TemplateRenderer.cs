using System.Collections.Concurrent;
using System.Text;
using Fluid;
using Fluid.Values;
using Ganss.Xss;
using Markdig;

namespace PortalApp.Features.Templates;

public sealed record RenderedTemplate(string Subject, string BodyHtml, string BodyText);

public abstract record TemplateRenderResult
{
    public sealed record Rendered(RenderedTemplate Template) : TemplateRenderResult;
    public sealed record Failed(string Problem) : TemplateRenderResult;
}

/// <summary>
/// Liquid (Fluid) → Markdown (Markdig, raw HTML disabled) → HtmlSanitizer. Values are escaped for both HTML and
/// Markdown before they reach the template, so a patient called "*Bob*" stays "*Bob*". Bounded: size on save,
/// steps and output length on render. Parsed templates are cached by their text.
/// </summary>
public sealed class TemplateRenderer
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 20_000;
    public const int MaxSteps = 20_000;
    public const int MaxOutputLength = 200_000;
    private const int MaxCachedTemplates = 500;

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new() { MaxSteps = MaxSteps, MaxRecursion = 10 };
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAutoLinks().UseEmphasisExtras().DisableHtml().Build();

    private readonly ConcurrentDictionary<string, IFluidTemplate> _parsed = new(StringComparer.Ordinal);
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    /// <returns>null when the text parses, else the parser's complaint.</returns>
    public string? ParseProblem(string text) => TryParse(text, out _, out var error) ? null : error;

    public async Task<TemplateRenderResult> RenderAsync(string subject, string body, TemplateModel model)
    {
        if (!TryParse(subject, out var subjectTemplate, out var subjectError))
            return new TemplateRenderResult.Failed($"The subject cannot be read: {subjectError}");
        if (!TryParse(body, out var bodyTemplate, out var bodyError))
            return new TemplateRenderResult.Failed($"The message cannot be read: {bodyError}");
        try
        {
            var values = model.Values();
            var renderedSubject = await RenderTextAsync(subjectTemplate, values, escapeForHtml: false);
            var markdownForHtml = await RenderTextAsync(bodyTemplate, values, escapeForHtml: true);
            var text = await RenderTextAsync(bodyTemplate, values, escapeForHtml: false);
            var html = _sanitizer.Sanitize(Markdig.Markdown.ToHtml(markdownForHtml, Markdown));
            return new TemplateRenderResult.Rendered(new RenderedTemplate(OneLine(renderedSubject), html, text.Trim()));
        }
        catch (InvalidOperationException)
        {
            // Fluid's step and recursion limits surface as InvalidOperationException.
            return new TemplateRenderResult.Failed($"The template does too much work (over {MaxSteps:N0} steps). Remove loops.");
        }
        catch (OutputTooLongException)
        {
            return new TemplateRenderResult.Failed($"The template produces more than {MaxOutputLength:N0} characters.");
        }
    }

    private static async Task<string> RenderTextAsync(IFluidTemplate template, IReadOnlyDictionary<string, (string Value, bool IsLink)> values, bool escapeForHtml)
    {
        var context = new TemplateContext(Options);
        foreach (var group in values.GroupBy(v => v.Key.Contains('.') ? v.Key[..v.Key.IndexOf('.')] : ""))
        {
            if (group.Key == "")
            {
                foreach (var (path, value) in group)
                    context.SetValue(path, Value(value, escapeForHtml));
            }
            else
            {
                var members = group.ToDictionary(v => v.Key[(group.Key.Length + 1)..], v => (object?)Value(v.Value, escapeForHtml));
                context.SetValue(group.Key, members);
            }
        }
        await using var writer = new BoundedStringWriter(MaxOutputLength);
        // No encoder: values are escaped above, once; encoding again would double-escape filter output.
        await template.RenderAsync(writer, NullEncoder.Default, context);
        return writer.ToString();
    }

    private static StringValue Value((string Value, bool IsLink) value, bool escapeForHtml) =>
        new(escapeForHtml && !value.IsLink ? EscapeForMarkdownAndHtml(value.Value) : value.Value, encode: false);

    /// <summary>Numeric character references: safe in HTML, literal in Markdown, and unchanged by upcase/downcase.</summary>
    internal static string EscapeForMarkdownAndHtml(string value)
    {
        var builder = new StringBuilder(value.Length + 16);
        foreach (var ch in value)
        {
            if ("&<>\"'\\`*_{}[]()#+-!|~".Contains(ch))
                builder.Append("&#").Append((int)ch).Append(';');
            else
                builder.Append(ch);
        }
        return builder.ToString();
    }

    private bool TryParse(string text, out IFluidTemplate template, out string? error)
    {
        error = null;
        if (_parsed.TryGetValue(text, out template!))
            return true;
        if (!Parser.TryParse(text, out template!, out error))
            return false;
        if (_parsed.Count >= MaxCachedTemplates)
            _parsed.Clear(); // templates change rarely; a full cache means churn, so start over rather than grow
        _parsed[text] = template;
        return true;
    }

    private static string OneLine(string subject) => string.Join(' ', subject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["https", "http", "mailto", "tel"]);
        sanitizer.AllowedTags.ExceptWith(["form", "input", "button", "select", "textarea", "iframe", "img"]);
        return sanitizer;
    }

    private sealed class OutputTooLongException : Exception;

    private sealed class BoundedStringWriter(int limit) : StringWriter
    {
        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            base.Write(buffer, index, count);
        }

        public override Task WriteAsync(string? value)
        {
            Check(value?.Length ?? 0);
            return base.WriteAsync(value);
        }

        public override Task WriteAsync(char value)
        {
            Check(1);
            return base.WriteAsync(value);
        }

        public override Task WriteAsync(char[] buffer, int index, int count)
        {
            Check(count);
            return base.WriteAsync(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            Check(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        private void Check(int adding)
        {
            if (GetStringBuilder().Length + adding > limit)
                throw new OutputTooLongException();
        }
    }
}
