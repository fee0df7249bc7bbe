using System.Globalization;
using System.Text;

namespace PortalApp.Features.Channels;

public enum ReplyKeyword
{
    /// <summary>Not a keyword (including CANCEL: it could mean the visit or the texts): staff read it.</summary>
    Other,
    Confirm,
    Stop,
    Start,
}

/// <summary>
/// What a text reply says, read as patients type it: trimmed, any case, accents folded (ARRÊT = ARRET), trailing
/// punctuation and emoji ignored ("Oui!" = OUI). Only a whole reply is a keyword: "yes but late" goes to staff.
/// </summary>
public static class ReplyKeywords
{
    /// <summary>Longer than any keyword: nothing longer is read at all.</summary>
    private const int MaxKeywordText = 40;

    public static ReplyKeyword Read(string? body)
    {
        var text = Fold(body);
        return text switch
        {
            "C" or "YES" or "Y" or "OUI" or "O" => ReplyKeyword.Confirm,
            "STOP" or "STOPALL" or "ARRET" or "UNSUBSCRIBE" or "END" or "QUIT" => ReplyKeyword.Stop,
            "START" or "UNSTOP" => ReplyKeyword.Start,
            _ => ReplyKeyword.Other,
        };
    }

    private static string Fold(string? body)
    {
        var text = body?.Trim() ?? "";
        if (text.Length is 0 or > MaxKeywordText)
            return "";
        var kept = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                kept.Append(c);
        }
        var end = kept.Length;
        while (end > 0 && IsTrailing(kept[end - 1]))
            end--;
        return kept.ToString(0, end).Trim().ToUpperInvariant();
    }

    // Punctuation, symbols and the halves of an emoji (surrogates) after the word.
    private static bool IsTrailing(char c) => char.IsPunctuation(c) || char.IsSymbol(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c)
        || c is '\uFE0F' or '\u200D';
}
