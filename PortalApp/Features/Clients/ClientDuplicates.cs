using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Clients;

/// <summary>An existing card that may be the same person as the one being created, and why it may be.</summary>
public sealed record DuplicateMatch(int Id, string FullName, DateOnly DateOfBirth, IReadOnlyList<string> Matched, DateOnly? EndDate)
{
    public string MatchedText => string.Join(", ", Matched);
}

/// <summary>
/// The one rule for "probably the same person": the same first and last name (whatever the case or accents) and date of
/// birth, or the same email (whatever the case), or the same mobile number (compared in E.164, however it was typed).
/// A card merged into another is only a pointer to it and never matches.
/// </summary>
public static class ClientDuplicates
{
    public const string ByName = "name and date of birth", ByEmail = "email", ByPhone = "mobile phone";

    /// <summary>At most this many are shown: past it, the person should search the Clients list instead.</summary>
    public const int MaxShown = 10;

    public static async Task<IReadOnlyList<DuplicateMatch>> FindAsync(
        PortalDbContext db, string firstName, string lastName, DateOnly dateOfBirth, string? email, string? mobileE164, CancellationToken ct)
    {
        var lowerEmail = email?.Trim().ToLowerInvariant();
        // Names are compared in memory (accents cannot be folded the same way in SQLite and PostgreSQL), so the query
        // narrows by date of birth, which is indexed and shared by few cards.
        var candidates = await db.Clients.AsNoTracking()
            .Where(c => c.MergedIntoClientId == null
                && (c.DateOfBirth == dateOfBirth
                    || (lowerEmail != null && c.Email != null && c.Email.ToLower() == lowerEmail)
                    || (mobileE164 != null && c.MobilePhone == mobileE164)))
            .OrderBy(c => c.Id)
            .Take(500)
            .Select(c => new { c.Id, c.FirstName, c.LastName, c.DateOfBirth, c.Email, c.MobilePhone, c.EndDate })
            .ToListAsync(ct);

        var name = (Fold(firstName), Fold(lastName));
        var matches = new List<DuplicateMatch>();
        foreach (var c in candidates)
        {
            var why = new List<string>();
            if (c.DateOfBirth == dateOfBirth && (Fold(c.FirstName), Fold(c.LastName)) == name)
                why.Add(ByName);
            if (lowerEmail is not null && string.Equals(c.Email?.Trim(), lowerEmail, StringComparison.OrdinalIgnoreCase))
                why.Add(ByEmail);
            if (mobileE164 is not null && c.MobilePhone == mobileE164)
                why.Add(ByPhone);
            if (why.Count > 0)
                matches.Add(new DuplicateMatch(c.Id, $"{c.FirstName} {c.LastName}", c.DateOfBirth, why, c.EndDate));
        }
        return matches.OrderByDescending(m => m.Matched.Count).ThenBy(m => m.Id).Take(MaxShown).ToList();
    }

    /// <summary>"Zoë  O'Brien-Lévesque" and "zoe o'brien-levesque" fold to the same text.</summary>
    public static string Fold(string value)
    {
        var decomposed = value.Trim().Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        var lastWasSpace = false;
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
                continue;
            var space = char.IsWhiteSpace(ch);
            if (space && lastWasSpace)
                continue;
            kept.Append(space ? ' ' : char.ToLowerInvariant(ch));
            lastWasSpace = space;
        }
        return kept.ToString().Normalize(NormalizationForm.FormC);
    }
}
