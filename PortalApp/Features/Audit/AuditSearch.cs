using PortalApp.Auditing;
using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace PortalApp.Features.Audit;

/// <summary>
/// What an admin filters the audit log on, as the Audit page and its CSV export both read it: an action from the
/// vocabulary, a client id, and whole days in the clinic's time zone (inclusive).
/// </summary>
public sealed record AuditSearch(string? Action = null, int? ClientId = null, DateOnly? From = null, DateOnly? To = null)
{
    public const string ExportPath = "/admin/audit/export";
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>The log is stored in UTC: a clinic day starts at its local midnight.</summary>
    public AuditFilter ToFilter(TimeZoneInfo zone) => new(Action, ClientId, null, StartOf(From, zone), StartOf(To is { Year: < 9999 } to ? to.AddDays(1) : null, zone));

    public string ExportUrl
    {
        get
        {
            var query = new Dictionary<string, string?>();
            if (Action is not null)
                query["action"] = Action;
            if (ClientId is { } id)
                query["clientId"] = id.ToString(CultureInfo.InvariantCulture);
            if (From is { } from)
                query["from"] = from.ToString(DateFormat, CultureInfo.InvariantCulture);
            if (To is { } to)
                query["to"] = to.ToString(DateFormat, CultureInfo.InvariantCulture);
            return QueryHelpers.AddQueryString(ExportPath, query);
        }
    }

    /// <summary>For the audit row of an export: which part of the log left the system.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Action is not null)
            parts.Add($"action {Action}");
        if (ClientId is { } id)
            parts.Add($"client {id}");
        if (From is { } from)
            parts.Add($"from {from.ToString(DateFormat, CultureInfo.InvariantCulture)}");
        if (To is { } to)
            parts.Add($"to {to.ToString(DateFormat, CultureInfo.InvariantCulture)}");
        return parts.Count == 0 ? "Whole log" : "Filter: " + string.Join(", ", parts);
    }

    /// <summary>Reads the export's query string; every value is checked, and a bad one is named.</summary>
    public static (AuditSearch? Search, string? Problem) Parse(IQueryCollection query)
    {
        string? action = query["action"];
        if (string.IsNullOrEmpty(action))
            action = null;
        else if (!AuditActions.IsKnown(action))
            return (null, "action must be one of the actions the Audit page lists.");

        int? clientId = null;
        if (!string.IsNullOrEmpty(query["clientId"]))
        {
            if (!int.TryParse(query["clientId"], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
                return (null, "clientId must be a client number, such as 42.");
            clientId = id;
        }

        if (!TryDate(query["from"], out var from))
            return (null, "from must be a date written as 2026-03-04.");
        if (!TryDate(query["to"], out var to))
            return (null, "to must be a date written as 2026-03-04.");
        if (from > to)
            return (null, "from must not be after to.");
        return (new AuditSearch(action, clientId, from, to), null);
    }

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
            return true;
        if (!DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return false;
        date = parsed;
        return true;
    }

    /// <summary>A day typed at the very edge of the calendar (year 1, year 9999) means "no limit", not an error page.</summary>
    private static DateTime? StartOf(DateOnly? day, TimeZoneInfo zone) =>
        day is { Year: > 1 and < 9999 } d ? TimeZoneInfo.ConvertTimeToUtc(d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone) : null;
}
