using MimeKit;

namespace PortalApp.Email;

/// <summary>An email address we will send to: exactly one plain mailbox, nothing that could smuggle in another.</summary>
public static class EmailAddressRules
{
    public const int MaxLength = 254;

    /// <returns>null when <paramref name="input"/> is one valid address, else why not, in words for staff.</returns>
    public static string? Problem(string? input)
    {
        var value = input?.Trim() ?? "";
        if (value.Length == 0)
            return "Enter an email address.";
        if (value.Length > MaxLength)
            return $"An email address can be at most {MaxLength} characters.";
        if (value.IndexOfAny(['\r', '\n', ',', ';', ' ', '<', '>', '"']) >= 0)
            return "Enter exactly one email address, like name@example.com (no spaces, commas or semicolons).";
        if (!MailboxAddress.TryParse(value, out var mailbox) || mailbox.Address != value || !string.IsNullOrEmpty(mailbox.Name))
            return "This is not a valid email address. Use the form name@example.com.";
        var at = value.LastIndexOf('@');
        var domain = at > 0 ? value[(at + 1)..] : "";
        if (at <= 0 || !domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.'))
            return "This email address is missing its domain, like name@example.com.";
        return null;
    }

    public static bool IsValid(string? input) => Problem(input) is null;

    /// <summary>Trimmed and upper case: one person per address, however it was typed.</summary>
    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    public static bool Same(string? a, string? b) => a is not null && b is not null && Normalize(a) == Normalize(b);

    /// <summary>"e•••@example.com": enough for the owner to recognise, too little for someone looking over a shoulder.</summary>
    public static string Mask(string? address)
    {
        var at = address?.LastIndexOf('@') ?? -1;
        return at > 0 ? $"{address![0]}•••{address[at..]}" : "•••";
    }
}
