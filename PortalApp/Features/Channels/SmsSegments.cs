namespace PortalApp.Features.Channels;

public enum SmsEncoding
{
    /// <summary>The GSM 03.38 alphabet, 7 bits a character: 160 in one message, 153 a part when split.</summary>
    Gsm7,

    /// <summary>Anything else (an emoji, â, ê, ç…) makes the whole message UCS-2: 70 in one message, 67 a part.</summary>
    Ucs2,
}

/// <summary>How long a text message is: the parts a phone receives (each billed), the characters, and the encoding.</summary>
public sealed record SmsLength(int Segments, int Characters, SmsEncoding Encoding)
{
    /// <summary>"2 text messages · 161 characters · GSM-7".</summary>
    public string Describe() =>
        $"{Segments} text message{(Segments == 1 ? "" : "s")} · {Characters} character{(Characters == 1 ? "" : "s")} · {(Encoding == SmsEncoding.Gsm7 ? "GSM-7" : "UCS-2")}";
}

/// <summary>
/// Counts a text message the way the network splits it (3GPP TS 23.038 and 23.040): GSM-7 when every character is in
/// the GSM alphabet (its extension characters ^ { } \ [ ~ ] | € take two septets, and are never split between parts),
/// else UCS-2 (a character outside the basic plane takes two units, never split). One part holds 160 septets or 70
/// units; a longer message is sent in parts of 153 or 67, the rest of each part carrying the header that joins them.
/// </summary>
public static class SmsSegments
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extension = "\f^{}\\[~]|€";

    private static readonly HashSet<char> BasicSet = [.. Basic];
    private static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static SmsLength Count(string text)
    {
        var characters = text.EnumerateRunes().Count();
        if (text.All(c => BasicSet.Contains(c) || ExtensionSet.Contains(c)))
            return new SmsLength(Parts(text.Select(c => ExtensionSet.Contains(c) ? 2 : 1), single: 160, part: 153), characters, SmsEncoding.Gsm7);
        return new SmsLength(Parts(text.EnumerateRunes().Select(r => r.Utf16SequenceLength), single: 70, part: 67), characters, SmsEncoding.Ucs2);
    }

    /// <summary>How many parts the characters (each of the given width) fill, never splitting one character between two parts.</summary>
    private static int Parts(IEnumerable<int> widths, int single, int part)
    {
        var list = widths.ToList();
        var total = list.Sum();
        if (total == 0)
            return 0;
        if (total <= single)
            return 1;
        int parts = 1, used = 0;
        foreach (var width in list)
        {
            if (used + width > part)
            {
                parts++;
                used = 0;
            }
            used += width;
        }
        return parts;
    }
}
