using System.Collections.Concurrent;
using System.Text;
using Fluid;
using Fluid.Values;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;

namespace PortalApp.Features.Templates;

public sealed record RenderedTemplate(string Subject, string BodyHtml, string BodyText);

public abstract record TemplateRenderResult
{
    public sealed record Rendered(RenderedTemplate Template) : TemplateRenderResult;
    public sealed record Failed(string Problem) : TemplateRenderResult;
}

/// <summary>
/// Liquid (Fluid) → Markdown (Markdig, raw HTML disabled) → HtmlSanitizer. Values are escaped for both HTML and
/// Markdown before they reach the template, so a patient called "*Bob*" stays "*Bob*". Bounded: size and shape on
/// save and again here, the clinic subset of Liquid (<see cref="TemplateLanguage"/>) checked again before every render
/// (a template saved before the subset, or written straight to the database, is refused too), then steps, output
/// length and time while rendering. Parsed templates are cached by their text.
/// </summary>
public sealed class TemplateRenderer
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 20_000;
    public const int MaxSteps = 20_000;
    public const int MaxOutputLength = 200_000;
    private const int MaxCachedTemplates = 500;
    private const string BudgetKey = "portal-render-budget";

    /// <summary>
    /// A clinic email renders in about a millisecond; a render still going after this is stopped. Wall-clock time, so it
    /// stops a runaway rather than judging a busy server: at 2 s, a loaded 2-core box refused ordinary invites (the
    /// first render of a process also loads Markdig and the sanitizer). Steps and output size bound the work itself.
    /// </summary>
    public static readonly TimeSpan DefaultTimeBudget = TimeSpan.FromSeconds(10);

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAutoLinks().UseEmphasisExtras().DisableHtml().Build();

    private readonly ConcurrentDictionary<string, (IFluidTemplate Template, TemplateCheck Check)> _parsed = new(StringComparer.Ordinal);
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();
    private readonly TimeSpan _timeBudget;

    public TemplateRenderer() : this(DefaultTimeBudget)
    {
    }

    internal TemplateRenderer(TimeSpan timeBudget) => _timeBudget = timeBudget;

    /// <summary>The filters a render can call: for the test that no growing filter is left for a template to find.</summary>
    internal static IEnumerable<string> FilterNames => Options.Filters.Select(f => f.Key);

    /// <summary>What the text uses, or null with why it cannot be read (too many tags, or not Liquid), for staff.</summary>
    public TemplateCheck? Inspect(string text, out string? problem)
    {
        if (TryParse(text, out var parsed, out problem))
            return parsed.Check;
        return null;
    }

    public async Task<TemplateRenderResult> RenderAsync(string subject, string body, TemplateModel model)
    {
        if (subject.Length > MaxSubjectLength || body.Length > MaxBodyLength)
            return new TemplateRenderResult.Failed($"The template is longer than a template may be (a subject of {MaxSubjectLength} characters, a message of {MaxBodyLength:N0}). An admin must shorten it in Templates.");
        if (!TryParse(subject, out var subjectTemplate, out var subjectError))
            return new TemplateRenderResult.Failed($"The subject cannot be read: {subjectError}");
        if (!TryParse(body, out var bodyTemplate, out var bodyError))
            return new TemplateRenderResult.Failed($"The message cannot be read: {bodyError}");
        if (subjectTemplate.Check.Refused.Concat(bodyTemplate.Check.Refused).Distinct().ToList() is { Count: > 0 } refused)
            return new TemplateRenderResult.Failed($"{TemplateLanguage.Describe(refused)} An admin must change this template in Templates before it can be sent.");
        return await GuardedAsync(async budget =>
        {
            var values = model.Values();
            var renderedSubject = await RenderTextAsync(subjectTemplate.Template, values, escapeForHtml: false, budget);
            var markdown = await RenderTextAsync(bodyTemplate.Template, values, escapeForHtml: true, budget);
            if (ParseMarkdown(markdown) is not { } document)
                return new TemplateRenderResult.Failed("The message puts quotes, lists or emphasis inside each other too many times to be shown. Make it simpler.");
            var html = _sanitizer.Sanitize(document.ToHtml(Markdown));
            var text = MarkdownText.From(document);
            budget.Check();
            return new TemplateRenderResult.Rendered(new RenderedTemplate(OneLine(renderedSubject), html, text));
        });
    }

    /// <summary>
    /// A text message or the words of a call: the same Liquid, the same limits, but no Markdown and no HTML, so values
    /// arrive as they are ("*Bob*" stays "*Bob*") and nothing needs escaping. The result has no subject and no HTML.
    /// </summary>
    public async Task<TemplateRenderResult> RenderPlainTextAsync(string body, TemplateModel model)
    {
        if (body.Length > MaxBodyLength)
            return new TemplateRenderResult.Failed($"The template is longer than a template may be ({MaxBodyLength:N0} characters). An admin must shorten it in Templates.");
        if (!TryParse(body, out var bodyTemplate, out var bodyError))
            return new TemplateRenderResult.Failed($"The message cannot be read: {bodyError}");
        if (bodyTemplate.Check.Refused.Count > 0)
            return new TemplateRenderResult.Failed($"{TemplateLanguage.Describe(bodyTemplate.Check.Refused)} An admin must change this template in Templates before it can be sent.");
        return await GuardedAsync(async budget =>
        {
            var text = await RenderTextAsync(bodyTemplate.Template, model.Values(), escapeForHtml: false, budget);
            budget.Check();
            return new TemplateRenderResult.Rendered(new RenderedTemplate("", "", PlainText(text)));
        });
    }

    /// <summary>Runs a render inside the step, output and time limits, turning each into a message staff can act on.</summary>
    private async Task<TemplateRenderResult> GuardedAsync(Func<RenderBudget, Task<TemplateRenderResult>> render)
    {
        var budget = new RenderBudget(_timeBudget, MaxOutputLength);
        try
        {
            return await render(budget);
        }
        catch (InvalidOperationException)
        {
            // Fluid's step and recursion limits surface as InvalidOperationException.
            return new TemplateRenderResult.Failed($"The template does too much work (over {MaxSteps:N0} steps).");
        }
        catch (RenderBudget.OutputTooLongException)
        {
            return new TemplateRenderResult.Failed($"The template produces more than {MaxOutputLength:N0} characters.");
        }
        catch (RenderBudget.TooSlowException)
        {
            return new TemplateRenderResult.Failed($"The template took longer than {_timeBudget.TotalSeconds:0.#} seconds to write, so it was stopped. Make it shorter or simpler.");
        }
    }

    /// <summary>Lines without trailing spaces, at most one blank line in a row, nothing around the whole: a template's if-tags leave gaps.</summary>
    private static string PlainText(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd());
        var kept = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0 && kept.Count > 0 && kept[^1].Length == 0)
                continue;
            kept.Add(line);
        }
        return string.Join('\n', kept).Trim();
    }

    /// <returns>null when Markdig refuses the nesting (it stops at its depth limit with an ArgumentException).</returns>
    private static MarkdownDocument? ParseMarkdown(string markdown)
    {
        try
        {
            return Markdig.Markdown.Parse(markdown, Markdown);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static async Task<string> RenderTextAsync(IFluidTemplate template, IReadOnlyDictionary<string, (string Value, bool IsLink)> values, bool escapeForHtml, RenderBudget budget)
    {
        var context = new TemplateContext(Options);
        context.AmbientValues[BudgetKey] = budget;
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
        await using var writer = budget.Writer();
        // No encoder: values are escaped above, once; encoding again would double-escape filter output.
        await template.RenderAsync(writer, NullEncoder.Default, context);
        return writer.ToString();
    }

    /// <summary>
    /// Fluid's filters cut to the allowed ones, each checking the time budget first: if a template ever slipped past
    /// <see cref="TemplateLanguage"/>, it would still find no filter that grows text, and no way to run on unseen.
    /// </summary>
    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions { MaxSteps = MaxSteps, MaxRecursion = 10 };
        foreach (var (name, filter) in options.Filters.ToList())
        {
            options.Filters.Remove(name);
            if (TemplateLanguage.AllowedFilters.Contains(name))
                options.Filters.AddFilter(name, (input, arguments, context) =>
                {
                    (context.AmbientValues.GetValueOrDefault(BudgetKey) as RenderBudget)?.Check();
                    return filter(input, arguments, context);
                });
        }
        return options;
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

    private bool TryParse(string text, out (IFluidTemplate Template, TemplateCheck Check) parsed, out string? problem)
    {
        problem = null;
        if (_parsed.TryGetValue(text, out parsed))
            return true;
        // Before the parser sees it: deep nesting overflows the parser's stack, which no catch can stop.
        problem = TemplateLanguage.ShapeProblem(text);
        if (problem is not null)
            return false;
        if (!Parser.TryParse(text, out var template, out var error))
        {
            problem = $"This is not valid Liquid: {error}";
            return false;
        }
        parsed = (template, TemplateLanguage.Check(template));
        if (_parsed.Count >= MaxCachedTemplates)
            _parsed.Clear(); // templates change rarely; a full cache means churn, so start over rather than grow
        _parsed[text] = parsed;
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
}
