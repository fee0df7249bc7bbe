namespace PortalApp.Features.Registration;

/// <summary>What the registration page may show about a valid link: the clinic, the first name, the account's email.</summary>
public sealed record RegistrationView(string ClinicName, string FirstName, string Email);

public sealed class RegistrationForm
{
    public string? DateOfBirth { get; set; }
    public string? Password { get; set; }
    public string? ConfirmPassword { get; set; }
    public bool AcceptTerms { get; set; }
}

public abstract record RegistrationResult
{
    public sealed record Registered(string UserId) : RegistrationResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : RegistrationResult;
    public sealed record WrongDateOfBirth(int AttemptsLeft) : RegistrationResult;
    public sealed record Locked : RegistrationResult;

    /// <summary>Unknown, used, expired, superseded, revoked, cancelled or end-dated: one answer for all.</summary>
    public sealed record Unusable : RegistrationResult;
}
