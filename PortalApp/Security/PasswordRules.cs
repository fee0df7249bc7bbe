namespace PortalApp.Security;

/// <summary>
/// NIST SP 800-63B / OWASP ASVS: 12 to 128 characters, any characters, no composition rules, and not guessable
/// (zxcvbn, told the patient's name, email and the clinic's name so those do not count as strength).
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 128;
    public const int MinScore = 3;

    // One estimator for the app: the library's static entry point rebuilds its dictionaries on every call (~17 ms);
    // a kept instance answers in ~1.5 ms. Its matchers are read-only once built, so threads can share it.
    private static readonly Zxcvbn.Zxcvbn Estimator = new(new Zxcvbn.Translation());

    public static string? Problem(string? password, IEnumerable<string> personalWords)
    {
        if (string.IsNullOrEmpty(password))
            return "Choose a password.";
        if (password.Length < MinLength)
            return $"Use at least {MinLength} characters. A few unrelated words make a strong, memorable password.";
        if (password.Length > MaxLength)
            return $"Use at most {MaxLength} characters.";
        var words = personalWords
            .SelectMany(w => w.Split([' ', '.', '@', '-', '_', ','], StringSplitOptions.RemoveEmptyEntries).Append(w))
            .Where(w => w.Length >= 3).Select(w => w.ToLowerInvariant()).Distinct();
        var result = Estimator.EvaluatePassword(password, words);
        return result.Score >= MinScore
            ? null
            : $"This password is too easy to guess (it could be cracked in {result.CrackTimeDisplay}). Avoid names, dates and common words; try three or four unrelated words.";
    }
}
