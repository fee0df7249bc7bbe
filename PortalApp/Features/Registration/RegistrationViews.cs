namespace PortalApp.Features.Registration;

/// <summary>
/// What the registration page may show about a valid link: the clinic, the first name of whoever was invited, the
/// account's email, and for a caregiver whose portal it opens.
/// </summary>
/// <param name="HasAccount">The email already has a portal account: the page asks to sign in with it instead of a new password.</param>
public sealed record RegistrationView(string ClinicName, string FirstName, string Email, CaregiverInviteView? Caregiver = null, bool HasAccount = false);

/// <param name="PatientFirstName">The patient whose portal the caregiver will see.</param>
/// <param name="PatientLabel">Who the patient is to the caregiver: "your child".</param>
/// <param name="Access">"appointments, messages and intake forms" or "appointments only".</param>
public sealed record CaregiverInviteView(string PatientFirstName, string PatientFullName, string PatientLabel, string Access);

public sealed class RegistrationForm
{
    public string? DateOfBirth { get; set; }
    public string? Password { get; set; }
    public string? ConfirmPassword { get; set; }
    public bool AcceptTerms { get; set; }
}

public abstract record RegistrationResult
{
    /// <param name="Linked">An existing account was given this portal, rather than a new account made.</param>
    /// <param name="PatientClientId">Whose portal the link opened: the page shows it first.</param>
    public sealed record Registered(string UserId, int PatientClientId, bool Linked = false) : RegistrationResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : RegistrationResult;
    public sealed record WrongDateOfBirth(int AttemptsLeft) : RegistrationResult;
    public sealed record Locked : RegistrationResult;

    /// <summary>Unknown, used, expired, superseded, revoked, cancelled or end-dated: one answer for all.</summary>
    public sealed record Unusable : RegistrationResult;
}
