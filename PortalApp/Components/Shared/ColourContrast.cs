using System.Globalization;

namespace PortalApp.Components.Shared;

/// <summary>WCAG 2 contrast: which text colour (black or white) reads on a practitioner's colour, and how well.</summary>
public static class ColourContrast
{
    /// <summary>WCAG AA for normal text.</summary>
    public const double Readable = 4.5;

    public static string TextOn(string background) =>
        Ratio(background, "#000000") >= Ratio(background, "#FFFFFF") ? "#000000" : "#FFFFFF";

    /// <summary>The better of black or white text on <paramref name="background"/>.</summary>
    public static double BestRatio(string background) => Math.Max(Ratio(background, "#000000"), Ratio(background, "#FFFFFF"));

    public static double Ratio(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string hex)
    {
        if (hex is not { Length: 7 } || hex[0] != '#' || !int.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
            return 0;
        static double Channel(int value)
        {
            var c = value / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel((rgb >> 16) & 0xFF) + 0.7152 * Channel((rgb >> 8) & 0xFF) + 0.0722 * Channel(rgb & 0xFF);
    }
}
