using System.Globalization;

namespace PortalApp.Features.Import;

/// <summary>How the file writes its dates. 03/04/2020 is 3 April or 4 March depending on the export, so staff choose.</summary>
public enum DateFormat
{
    IsoYearMonthDay,
    DayMonthYear,
    MonthDayYear,
}

public static class ImportDates
{
    public static string Label(DateFormat format) => format switch
    {
        DateFormat.DayMonthYear => "Day/month/year (31/12/2020)",
        DateFormat.MonthDayYear => "Month/day/year (12/31/2020)",
        _ => "Year-month-day (2020-12-31)",
    };

    private static string[] DateFormats(DateFormat format) => format switch
    {
        DateFormat.DayMonthYear => ["d/M/yyyy", "d-M-yyyy", "d.M.yyyy", "yyyy-MM-dd"],
        DateFormat.MonthDayYear => ["M/d/yyyy", "M-d-yyyy", "yyyy-MM-dd"],
        _ => ["yyyy-MM-dd", "yyyy/MM/dd", "yyyy-M-d"],
    };

    public static bool TryDate(string? value, DateFormat format, out DateOnly date) =>
        DateOnly.TryParseExact(value, DateFormats(format), CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>A date and a 24-hour (or am/pm) time, as "2026-03-04 09:30", "04/03/2026 9:30 AM" or with a T.</summary>
    public static bool TryDateTime(string? value, DateFormat format, out DateTime wallClock)
    {
        wallClock = default;
        if (string.IsNullOrWhiteSpace(value))
            return false;
        var text = value.Trim().Replace('T', ' ');
        var space = text.IndexOf(' ');
        if (space < 0 || !TryDate(text[..space], format, out var date))
            return false;
        if (!TimeOnly.TryParseExact(text[(space + 1)..].Trim(), ["H:mm", "H:mm:ss", "h:mm tt", "h:mmtt", "h:mm:ss tt"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return false;
        wallClock = date.ToDateTime(time);
        return true;
    }

    /// <summary>
    /// The format the values show, when they show one: ISO when every value starts with a year, day-first when a first
    /// part is above 12, month-first when a second part is. Null: ambiguous (every part ≤ 12) or mixed; staff choose.
    /// </summary>
    public static DateFormat? Detect(IEnumerable<string?> values)
    {
        bool iso = true, any = false, dayFirst = false, monthFirst = false;
        foreach (var value in values.Where(v => !string.IsNullOrWhiteSpace(v)).Take(5_000))
        {
            any = true;
            var datePart = value!.Trim().Split(' ', 'T')[0];
            var parts = datePart.Split('/', '-', '.');
            if (parts.Length != 3)
                return null;
            if (parts[0].Length == 4)
                continue;
            iso = false;
            if (int.TryParse(parts[0], out var first) && first > 12)
                dayFirst = true;
            if (int.TryParse(parts[1], out var second) && second > 12)
                monthFirst = true;
        }
        if (!any)
            return null;
        if (iso)
            return DateFormat.IsoYearMonthDay;
        return (dayFirst, monthFirst) switch
        {
            (true, false) => DateFormat.DayMonthYear,
            (false, true) => DateFormat.MonthDayYear,
            _ => null,
        };
    }
}
