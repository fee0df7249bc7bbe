namespace PortalApp.Components.Account;

/// <summary>A form that chooses a new password, typed twice. Never rendered back into the page.</summary>
public interface INewPassword
{
    string? Password { get; set; }
    string? Confirm { get; set; }
}

public static class NewPassword
{
    /// <returns>null when the new password may be used; else what to fix. Same rules as patients' (PasswordRules).</returns>
    public static string? Problem(INewPassword form, IEnumerable<string> personalWords) =>
        Security.PasswordRules.Problem(form.Password, personalWords)
        ?? (form.Password != form.Confirm ? "The two passwords are not the same." : null);

    /// <summary>After the post is handled the typed passwords must not go back to the browser in the page.</summary>
    public static void Forget(INewPassword form) => (form.Password, form.Confirm) = (null, null);
}
