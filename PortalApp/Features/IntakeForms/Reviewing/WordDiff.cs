using DiffPlex;
using DiffPlex.Chunkers;

namespace PortalApp.Features.IntakeForms.Reviewing;

/// <summary>How a piece of an answer changed between two responses.</summary>
public enum PieceChange
{
    Same,
    Deleted,
    Inserted,
}

/// <summary>A run of words in one side of a word diff (spaces and punctuation included, so the pieces join back into the answer).</summary>
public sealed record TextPiece(string Text, PieceChange Change);

/// <summary>The earlier answer with its removed words marked, and the later one with its added words marked.</summary>
public sealed record WordChanges(IReadOnlyList<TextPiece> Earlier, IReadOnlyList<TextPiece> Later);

/// <summary>Word-level differences between two answers, by DiffPlex's word chunker (spaces and punctuation are pieces of their own).</summary>
public static class WordDiff
{
    public static WordChanges Between(string earlier, string later)
    {
        var diff = Differ.Instance.CreateDiffs(earlier, later, ignoreWhiteSpace: false, ignoreCase: false, WordChunker.Instance);
        var deleted = new bool[diff.PiecesOld.Count];
        var inserted = new bool[diff.PiecesNew.Count];
        foreach (var block in diff.DiffBlocks)
        {
            for (var i = 0; i < block.DeleteCountA; i++)
                deleted[block.DeleteStartA + i] = true;
            for (var i = 0; i < block.InsertCountB; i++)
                inserted[block.InsertStartB + i] = true;
        }
        return new WordChanges(Runs(diff.PiecesOld, deleted, PieceChange.Deleted), Runs(diff.PiecesNew, inserted, PieceChange.Inserted));
    }

    /// <summary>Neighbouring pieces of the same kind joined, so "two new words" is one mark, not three.</summary>
    private static List<TextPiece> Runs(IReadOnlyList<string> pieces, bool[] changed, PieceChange kind)
    {
        var runs = new List<TextPiece>();
        var text = new System.Text.StringBuilder();
        var current = PieceChange.Same;
        for (var i = 0; i < pieces.Count; i++)
        {
            var change = changed[i] ? kind : PieceChange.Same;
            if (change != current && text.Length > 0)
            {
                runs.Add(new TextPiece(text.ToString(), current));
                text.Clear();
            }
            current = change;
            text.Append(pieces[i]);
        }
        if (text.Length > 0)
            runs.Add(new TextPiece(text.ToString(), current));
        return Trimmed(Bridged(runs, kind));
    }

    /// <summary>Spaces at either end of a change are left unmarked, so the mark covers words only.</summary>
    private static List<TextPiece> Trimmed(List<TextPiece> runs)
    {
        var result = new List<TextPiece>(runs.Count + 2);
        foreach (var run in runs)
        {
            var core = run.Text.Trim();
            if (run.Change == PieceChange.Same || core.Length == 0)
            {
                Add(result, run with { Change = PieceChange.Same });
                continue;
            }
            var start = run.Text.IndexOf(core, StringComparison.Ordinal);
            Add(result, new TextPiece(run.Text[..start], PieceChange.Same));
            Add(result, run with { Text = core });
            Add(result, new TextPiece(run.Text[(start + core.Length)..], PieceChange.Same));
        }
        return result;

        static void Add(List<TextPiece> list, TextPiece piece)
        {
            if (piece.Text.Length == 0)
                return;
            if (list.Count > 0 && list[^1].Change == PieceChange.Same && piece.Change == PieceChange.Same)
                list[^1] = new TextPiece(list[^1].Text + piece.Text, PieceChange.Same);
            else
                list.Add(piece);
        }
    }

    /// <summary>
    /// A lone space between two changed runs joins them ("now my left knee aches" is one change, not two): the diff
    /// matches the space, but a reader sees one changed phrase.
    /// </summary>
    private static List<TextPiece> Bridged(List<TextPiece> runs, PieceChange kind)
    {
        for (var i = runs.Count - 2; i >= 1; i--)
        {
            if (runs[i].Change == PieceChange.Same && string.IsNullOrWhiteSpace(runs[i].Text)
                && runs[i - 1].Change == kind && runs[i + 1].Change == kind)
            {
                runs[i - 1] = new TextPiece(runs[i - 1].Text + runs[i].Text + runs[i + 1].Text, kind);
                runs.RemoveRange(i, 2);
                i--; // runs[i - 1] may now bridge to the run before it
            }
        }
        return runs;
    }
}
