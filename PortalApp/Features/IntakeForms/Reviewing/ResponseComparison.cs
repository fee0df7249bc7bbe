namespace PortalApp.Features.IntakeForms.Reviewing;

/// <summary>What one side of a compared question shows.</summary>
public enum CompareState
{
    Answered,
    NoAnswer,

    /// <summary>Asked, but hidden by a show/hide rule for these answers: the patient never saw it.</summary>
    Hidden,

    /// <summary>The question is not in this response's version of the form.</summary>
    NotAsked,
}

/// <summary>One side of a compared question: its state, the answer as FormAnswerDisplay reads it, and its word changes when diffed.</summary>
public sealed record ComparedAnswer(CompareState State, string? Text, IReadOnlyList<TextPiece>? Pieces = null);

/// <summary>
/// One row of a comparison, matched by link id across versions. Section and group rows carry no answers.
/// <see cref="EarlierLabel"/> is set when the earlier version worded the question differently.
/// </summary>
public sealed record ComparisonRow(string LinkId, AnswerRowKind Kind, int Depth, string Label, string? EarlierLabel, bool StaffOnly,
    ComparedAnswer Earlier, ComparedAnswer Later, bool Changed)
{
    public bool IsHeading => Kind is AnswerRowKind.Section or AnswerRowKind.Group;
}

/// <summary>
/// Two responses to one form, question by question (earlier | later), matched by their stable link ids so a question
/// asked in only one version still lines up. Pure: the compare page renders it and the benchmark calls it.
/// A long answer (a long-text question, or any answer over <see cref="LongAnswerLength"/> characters) that changed
/// also gets its changed words.
/// </summary>
public sealed class ResponseComparison
{
    public const int LongAnswerLength = 60;

    private ResponseComparison(IReadOnlyList<ComparisonRow> rows)
    {
        Rows = rows;
        ChangedCount = rows.Count(r => r.Changed);
        QuestionCount = rows.Count(r => !r.IsHeading);
    }

    /// <summary>Headings and questions in the later version's order; questions only the earlier version asked follow their earlier neighbour.</summary>
    public IReadOnlyList<ComparisonRow> Rows { get; }

    public int ChangedCount { get; }
    public int QuestionCount { get; }

    public static ResponseComparison Compare(FormDefinition earlierDefinition, FormAnswers earlierAnswers,
        FormDefinition laterDefinition, FormAnswers laterAnswers, TimeZoneInfo zone, Func<int, string?>? attachmentName = null)
    {
        var earlierRows = FormAnswerDisplay.Rows(earlierDefinition, earlierAnswers, zone, attachmentName);
        var laterRows = FormAnswerDisplay.Rows(laterDefinition, laterAnswers, zone, attachmentName);
        var earlier = Index(earlierRows);
        var later = Index(laterRows);
        var types = TypesOf(earlierDefinition, laterDefinition);
        var rows = new List<ComparisonRow>(laterRows.Count + 8);
        foreach (var linkId in MergedOrder(earlierRows, laterRows, later))
        {
            var a = earlier.GetValueOrDefault(linkId);
            var b = later.GetValueOrDefault(linkId);
            var shape = b ?? a!;
            if (shape.Kind == AnswerRowKind.Display)
                continue; // display text carries no answer to compare
            if (shape.Kind is AnswerRowKind.Section or AnswerRowKind.Group)
            {
                if (a is null or { Hidden: true } && b is null or { Hidden: true })
                    continue; // a group hidden by a rule on both sides: nothing under it was seen
                rows.Add(new ComparisonRow(linkId, shape.Kind, shape.Depth, shape.Label, null, shape.StaffOnly,
                    new ComparedAnswer(a is null ? CompareState.NotAsked : CompareState.NoAnswer, null),
                    new ComparedAnswer(b is null ? CompareState.NotAsked : CompareState.NoAnswer, null), false));
                continue;
            }
            var left = Side(a);
            var right = Side(b);
            if (left.State is CompareState.Hidden or CompareState.NotAsked && right.State is CompareState.Hidden or CompareState.NotAsked)
                continue; // nobody saw it on either side
            var changed = !string.Equals(left.Text, right.Text, StringComparison.Ordinal);
            if (changed && left.Text is { } was && right.Text is { } now
                && (types.GetValueOrDefault(linkId) == FormItemType.Text || was.Length > LongAnswerLength || now.Length > LongAnswerLength))
            {
                var words = WordDiff.Between(was, now);
                left = left with { Pieces = words.Earlier };
                right = right with { Pieces = words.Later };
            }
            var earlierLabel = a is not null && b is not null && a.Label != b.Label ? a.Label : null;
            rows.Add(new ComparisonRow(linkId, shape.Kind, shape.Depth, shape.Label, earlierLabel, shape.StaffOnly, left, right, changed));
        }
        return new ResponseComparison(rows);
    }

    /// <summary>The changed questions, with the headings they sit under ("Show only changes").</summary>
    public IReadOnlyList<ComparisonRow> OnlyChanges()
    {
        var kept = new List<ComparisonRow>();
        var headings = new List<ComparisonRow>(); // the open headings above the current row, outermost first
        foreach (var row in Rows)
        {
            if (row.IsHeading)
            {
                headings.RemoveAll(h => h.Depth >= row.Depth);
                headings.Add(row);
                continue;
            }
            if (!row.Changed)
                continue;
            foreach (var heading in headings.Where(h => !kept.Contains(h)))
                kept.Add(heading);
            kept.Add(row);
        }
        return kept;
    }

    private static ComparedAnswer Side(AnswerRow? row) => row switch
    {
        null => new(CompareState.NotAsked, null),
        { Hidden: true } => new(CompareState.Hidden, null),
        { Answer: null } => new(CompareState.NoAnswer, null),
        _ => new(CompareState.Answered, row.Answer),
    };

    private static Dictionary<string, AnswerRow> Index(IReadOnlyList<AnswerRow> rows)
    {
        var index = new Dictionary<string, AnswerRow>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
            index.TryAdd(row.LinkId, row); // FormDefinitionRules keeps link ids unique; a damaged definition keeps its first
        return index;
    }

    private static Dictionary<string, FormItemType> TypesOf(FormDefinition earlier, FormDefinition later)
    {
        var types = new Dictionary<string, FormItemType>(StringComparer.Ordinal);
        foreach (var (item, _) in FormItems.InOrder(earlier.Items ?? []).Concat(FormItems.InOrder(later.Items ?? [])))
            types[item.LinkId] = item.Type; // the later version's type wins
        return types;
    }

    /// <summary>
    /// The later rows in order, with each row only the earlier version has placed after the row that preceded it there
    /// (or first, when nothing did).
    /// </summary>
    private static List<string> MergedOrder(IReadOnlyList<AnswerRow> earlierRows, IReadOnlyList<AnswerRow> laterRows, Dictionary<string, AnswerRow> later)
    {
        var order = laterRows.Select(r => r.LinkId).Distinct(StringComparer.Ordinal).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var anchor = -1;
        foreach (var row in earlierRows)
        {
            if (!seen.Add(row.LinkId))
                continue;
            if (later.ContainsKey(row.LinkId))
                anchor = order.IndexOf(row.LinkId);
            else
                order.Insert(++anchor, row.LinkId);
        }
        return order;
    }
}
