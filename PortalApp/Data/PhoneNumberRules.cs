using PhoneNumbers;

namespace PortalApp.Data;

/// <summary>
/// The one home of "a phone number as the clinic stores it": parsed with libphonenumber in the clinic's region,
/// kept in E.164 so text and voice reminders can dial it, shown back in the region's own format.
/// </summary>
public static class PhoneNumberRules
{
    public const int MaxInputLength = 30;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public sealed record Parsed(string? E164, string? Problem);

    public static bool IsKnownRegion(string? region) =>
        region is { Length: 2 } && Util.GetSupportedRegions().Contains(region.ToUpperInvariant());

    /// <summary>A blank input is no number and no problem; anything else is either an E.164 number or a message saying why not.</summary>
    public static Parsed Parse(string? input, string region)
    {
        if (string.IsNullOrWhiteSpace(input))
            return new(null, null);
        var text = input.Trim();
        if (text.Length > MaxInputLength)
            return new(null, $"A phone number can be at most {MaxInputLength} characters.");
        if (text.Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.')))
            return new(null, "A phone number may contain only digits, spaces, +, -, ., ( and ).");
        try
        {
            var number = Util.Parse(text, region);
            if (!Util.IsValidNumber(number))
                return new(null, $"This is not a valid phone number in {RegionName(region)}. For a number abroad, start with + and the country code.");
            return new(Util.Format(number, PhoneNumberFormat.E164), null);
        }
        catch (NumberParseException)
        {
            return new(null, $"This is not a phone number. Enter it as it is dialled in {RegionName(region)}, or start with + and the country code.");
        }
    }

    /// <summary>"(416) 555-0101" for a number in the clinic's region, "+33 6 12 34 56 78" for one abroad.</summary>
    public static string Display(string? e164, string region)
    {
        if (string.IsNullOrEmpty(e164))
            return "";
        try
        {
            var number = Util.Parse(e164, region);
            var home = Util.GetRegionCodeForNumber(number) == region.ToUpperInvariant();
            return Util.Format(number, home ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }

    public static string Digits(string value) => new(value.Where(char.IsAsciiDigit).ToArray());

    private static string RegionName(string region) =>
        region.ToUpperInvariant() switch { "CA" => "Canada", "US" => "the United States", "FR" => "France", var r => r };
}
