namespace PortalApp.Features.Registration;

/// <summary>
/// An email address as the registration page shows it: e•••@example.com. Whoever holds a link (a forwarded email, a
/// shared screen) sees enough to recognise their own address, not enough to learn someone else's.
/// </summary>
public static class MaskedEmail
{
    public static string Of(string email)
    {
        var at = email.LastIndexOf('@');
        // Always three bullets, so the length of the hidden part is not shown either.
        return at <= 0 ? (email.Length > 0 ? email[..1] : "") + "•••" : email[..1] + "•••" + email[at..];
    }
}
