using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Clients;

/// <summary>
/// Turns what staff type in the search box into a filter: a date finds by date of birth, a phone-like string by
/// mobile digits, anything else by words matched against names and email.
/// </summary>
public static class ClientSearchQuery
{
    // Unambiguous formats only: 03/04/1980 means different days in different countries.
    private static readonly string[] DateFormats =
        ["yyyy-MM-dd", "yyyy/MM/dd", "d MMM yyyy", "d MMMM yyyy", "MMM d yyyy", "MMM d, yyyy", "MMMM d, yyyy", "MMMM d yyyy"];

    public static IQueryable<Client> Apply(IQueryable<Client> clients, string? search)
    {
        var text = search?.Trim() ?? "";
        if (text.Length == 0)
            return clients;

        if (DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date))
            return clients.Where(c => c.DateOfBirth == date);

        var digits = ClientRules.Digits(text);
        if (digits.Length >= 3 && text.All(ch => char.IsAsciiDigit(ch) || " +-().".Contains(ch)))
            return clients.Where(c => c.MobilePhoneDigits != null && c.MobilePhoneDigits.Contains(digits));

        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var pattern = "%" + EscapeLike(word) + "%";
            clients = clients.Where(c =>
                EF.Functions.Like(c.FirstName, pattern, "\\")
                || EF.Functions.Like(c.LastName, pattern, "\\")
                || (c.PreferredName != null && EF.Functions.Like(c.PreferredName, pattern, "\\"))
                || (c.Email != null && EF.Functions.Like(c.Email, pattern, "\\")));
        }
        return clients;
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
