using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Clients;

/// <summary>What staff typed in a client search, cut to what the search reads.</summary>
/// <param name="WasCut">The text was longer, or had more words, than a search reads: the page says so.</param>
public sealed record ClientSearchText(string Text, IReadOnlyList<string> Words, bool WasCut);

/// <summary>
/// Turns what staff type in the search box into a filter: a date finds by date of birth, a phone-like string by
/// mobile digits, anything else by words matched against names and email.
/// </summary>
public static class ClientSearchQuery
{
    /// <summary>
    /// Each word adds one nested Where to the query, and EF Core walks the query recursively: 5,000 pasted words
    /// overflowed the stack and ended the process (every open tab). A name, an email or a date fits in these.
    /// </summary>
    public const int MaxLength = 100;
    public const int MaxWords = 6;

    public static readonly string CutNotice = $"Only the first {MaxWords} words and {MaxLength} characters of a search are used.";

    // Unambiguous formats only: 03/04/1980 means different days in different countries.
    private static readonly string[] DateFormats =
        ["yyyy-MM-dd", "yyyy/MM/dd", "d MMM yyyy", "d MMMM yyyy", "MMM d yyyy", "MMM d, yyyy", "MMMM d, yyyy", "MMMM d yyyy"];

    public static ClientSearchText Read(string? search)
    {
        var text = search?.Trim() ?? "";
        var cut = text.Length > MaxLength;
        if (cut)
            text = text[..MaxLength].TrimEnd();
        var words = text.Split((char[]?)null, MaxWords + 1, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length > MaxWords)
        {
            cut = true;
            words = words[..MaxWords];
            text = string.Join(' ', words);
        }
        return new ClientSearchText(text, words, cut);
    }

    public static IQueryable<Client> Apply(IQueryable<Client> clients, string? search) => Apply(clients, Read(search));

    public static IQueryable<Client> Apply(IQueryable<Client> clients, ClientSearchText search)
    {
        var text = search.Text;
        if (text.Length == 0)
            return clients;

        if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date))
            return clients.Where(c => c.DateOfBirth == date);

        var digits = ClientRules.Digits(text);
        if (digits.Length >= 3 && text.All(ch => char.IsAsciiDigit(ch) || " +-().".Contains(ch)))
            return clients.Where(c => c.MobilePhoneDigits != null && c.MobilePhoneDigits.Contains(digits));

        foreach (var word in search.Words)
        {
            // lower() on both sides: SQLite's LIKE ignores case, PostgreSQL's does not; lower() means the same on both.
            var pattern = "%" + EscapeLike(word.ToLowerInvariant()) + "%";
            clients = clients.Where(c =>
                EF.Functions.Like(c.FirstName.ToLower(), pattern, "\\")
                || EF.Functions.Like(c.LastName.ToLower(), pattern, "\\")
                || (c.PreferredName != null && EF.Functions.Like(c.PreferredName.ToLower(), pattern, "\\"))
                || (c.Email != null && EF.Functions.Like(c.Email.ToLower(), pattern, "\\")));
        }
        return clients;
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
