using Fluid;
using Fluid.Ast;
using Fluid.Ast.BinaryExpressions;

namespace PortalApp.Features.Templates;

/// <summary>What a parsed template uses: anything outside the clinic subset of Liquid, the placeholders it names, and those it prints.</summary>
/// <param name="Refused">"the for tag (a loop)", "the append filter": empty when the template keeps to the subset.</param>
/// <param name="Names">Every placeholder named, in output and in conditions.</param>
/// <param name="Printed">The placeholders printed in an output tag (<c>{{ invite_link }}</c>, filters allowed).</param>
public sealed record TemplateCheck(IReadOnlyList<string> Refused, IReadOnlySet<string> Names, IReadOnlySet<string> Printed);

/// <summary>
/// The part of Liquid a clinic template may use, checked on Fluid's parsed template (its AST), never on the text:
/// text, placeholders, <c>if</c>/<c>unless</c>/<c>case</c> with comparisons, comments, and filters that never make
/// text longer than their input plus the template's own words. Everything else is refused, named, because a loop,
/// a variable or a growing filter lets one template make the server build gigabytes of text without writing a line
/// (measured: 5 GB allocated for one preview, PortalApp.Benchmarks template-memory). An allow-list, so a tag or
/// filter a later Fluid adds is refused until someone decides it is harmless.
/// </summary>
public static class TemplateLanguage
{
    /// <summary>Filters whose output is never longer than their input or their literal arguments.</summary>
    public static readonly IReadOnlySet<string> AllowedFilters = new HashSet<string>(StringComparer.Ordinal)
    {
        "upcase", "downcase", "capitalize", "strip", "lstrip", "rstrip", "strip_newlines", "default", "truncate", "truncatewords",
    };

    public const string Explanation =
        "Loops, variables, ranges and filters that add text could make one email take minutes and gigabytes of memory to write, " +
        "so a template shows placeholders, chooses text with if, unless and case, and uses only these filters: ";

    /// <summary>The message staff see: what is not allowed, and why.</summary>
    public static string Describe(IReadOnlyList<string> refused) =>
        $"A clinic template cannot use {string.Join(", ", refused)}. {Explanation}{string.Join(", ", AllowedFilters)}.";

    public const int MaxTags = 100;
    public const int MaxFilters = 100;
    public const int MaxBrackets = 20;

    /// <summary>
    /// Counted on the raw text, before Fluid parses it: Fluid's parser and renderer recurse once per nested tag, bracket
    /// and chained filter, and on a thread-pool stack (1.5 MB) 600 nested ifs, 1,000 nested parentheses (2 KB of text)
    /// or 2,800 chained filters overflow it, which ends the whole process. Quoted text inside tags counts too: the
    /// limits are far above what an email needs.
    /// </summary>
    /// <returns>null when the text is within the limits, else why not, for staff.</returns>
    public static string? ShapeProblem(string text)
    {
        int tags = 0, filters = 0, brackets = 0;
        for (var at = 0; at < text.Length - 1;)
        {
            var open = text.IndexOf('{', at);
            if (open < 0 || open == text.Length - 1)
                break;
            var kind = text[open + 1];
            if (kind is not ('{' or '%'))
            {
                at = open + 1;
                continue;
            }
            var close = text.IndexOf(kind == '%' ? "%}" : "}}", open + 2, StringComparison.Ordinal);
            var inside = text.AsSpan(open + 2, (close < 0 ? text.Length : close) - open - 2);
            tags += kind == '%' ? 1 : 0;
            filters += inside.Count('|');
            brackets += inside.Count('(') + inside.Count('[');
            at = close < 0 ? text.Length : close + 2;
        }
        if (tags > MaxTags)
            return $"A template can have at most {MaxTags} tags ({{% … %}}); this one has {tags:N0}.";
        if (filters > MaxFilters)
            return $"A template can use at most {MaxFilters} filters (|); this one uses {filters:N0}.";
        return brackets > MaxBrackets
            ? $"The tags of a template can hold at most {MaxBrackets} brackets and parentheses; this one's hold {brackets:N0}."
            : null;
    }

    public static TemplateCheck Check(IFluidTemplate template)
    {
        var walker = new Walker();
        walker.VisitTemplate(template);
        return new TemplateCheck(walker.Refused.ToList(), walker.Names, walker.Printed);
    }

    private sealed class Walker : AstVisitor
    {
        public readonly HashSet<string> Refused = [];
        public readonly HashSet<string> Names = new(StringComparer.Ordinal);
        public readonly HashSet<string> Printed = new(StringComparer.Ordinal);

        public override Statement Visit(Statement statement)
        {
            switch (statement)
            {
                case null:
                    return statement!;
                case OutputStatement output when Placeholder(output.Expression) is { } printed:
                    Printed.Add(printed);
                    break;
                case OutputStatement or TextSpanStatement or IfStatement or ElseIfStatement or ElseStatement or UnlessStatement
                    or CaseStatement or WhenStatement or CommentStatement or RawStatement:
                    break;
                default:
                    // Refused, and still walked, so the message names everything the template would have to lose.
                    Refused.Add(RefusedTag(statement));
                    break;
            }
            return base.Visit(statement);
        }

        public override Expression Visit(Expression expression)
        {
            switch (expression)
            {
                case null:
                    return expression!;
                case MemberExpression member:
                    if (Path(member) is { } path)
                        Names.Add(path);
                    else
                        Refused.Add("[...] or a call after a placeholder (write placeholders as they are listed, like patient.first_name)");
                    return expression;
                case FilterExpression filter when !AllowedFilters.Contains(filter.Name):
                    Refused.Add($"the {filter.Name} filter");
                    break;
                case RangeExpression:
                    Refused.Add("a range like (1..5)");
                    break;
                case LiteralExpression or FilterExpression or EqualBinaryExpression or NotEqualBinaryExpression or GreaterThanBinaryExpression
                    or LowerThanBinaryExpression or ContainsBinaryExpression or StartsWithBinaryExpression or EndsWithBinaryExpression
                    or AndBinaryExpression or OrBinaryExpression:
                    break;
                default:
                    Refused.Add("arithmetic or another expression templates do not need");
                    return expression;
            }
            return base.Visit(expression);
        }

        private static string RefusedTag(Statement statement) => statement switch
        {
            ForStatement => "the for tag (a loop)",
            TableRowStatement => "the tablerow tag (a loop)",
            CycleStatement => "the cycle tag (a loop)",
            AssignStatement => "the assign tag (a variable)",
            CaptureStatement => "the capture tag (a variable)",
            IncrementStatement => "the increment tag (a variable)",
            DecrementStatement => "the decrement tag (a variable)",
            LiquidStatement => "the liquid tag",
            IncludeStatement or RenderStatement => "include or render (templates cannot open other files)",
            _ => $"the {statement.GetType().Name.Replace("Statement", "").ToLowerInvariant()} tag",
        };

        /// <summary>patient.first_name, or null when the expression is not a plain dotted name.</summary>
        private static string? Path(MemberExpression member) =>
            member.Segments.All(s => s is IdentifierSegment)
                ? string.Join('.', member.Segments.Cast<IdentifierSegment>().Select(s => s.Identifier))
                : null;

        /// <summary>The placeholder an output tag prints, through any filters: invite_link in {{ invite_link | strip }}.</summary>
        private static string? Placeholder(Expression expression) => expression switch
        {
            FilterExpression filter => Placeholder(filter.Input),
            MemberExpression member => Path(member),
            _ => null,
        };
    }
}
