using System.Text.RegularExpressions;
using PortalApp.Data;
using PortalApp.Email;

namespace PortalApp.Features.Clients;

/// <summary>What a valid client card holds. The form shows these messages; the service enforces them.</summary>
public static partial class ClientRules
{
    public const int NameMaxLength = 100;
    public const int PhoneMaxLength = 30;
    public const int StreetAddressMaxLength = 200, CityMaxLength = 100, ProvinceMaxLength = 100, PostalCodeMaxLength = 20;
    public static readonly DateOnly EarliestDateOfBirth = new(1900, 1, 1);

    public static string? FirstName(string? value) => RequiredName(value, "first name");
    public static string? LastName(string? value) => RequiredName(value, "last name");

    public static string? PreferredName(string? value) =>
        value is { Length: > NameMaxLength } ? $"The preferred name can be at most {NameMaxLength} characters." : null;

    public static string? DateOfBirth(DateTime? value, DateOnly today)
    {
        if (value is null)
            return "Enter the date of birth.";
        var date = DateOnly.FromDateTime(value.Value);
        if (date > today)
            return "The date of birth cannot be in the future.";
        if (date < EarliestDateOfBirth)
            return $"The date of birth cannot be before {EarliestDateOfBirth:d MMM yyyy}.";
        return null;
    }

    /// <summary>Email is optional on the card (some clients have none), but when present it must be one valid address.</summary>
    public static string? Email(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : EmailAddressRules.Problem(value);

    /// <summary>A client card's mobile: stored in E.164, so it must be a number libphonenumber knows in the clinic's region.</summary>
    public static string? MobilePhone(string? value, string region) => PhoneNumberRules.Parse(value, region).Problem;

    /// <summary>The shape of a phone number typed for a caregiver (kept as typed on the grant, not dialled by the app).</summary>
    public static string? MobilePhone(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (value.Trim().Length > PhoneMaxLength)
            return $"A phone number can be at most {PhoneMaxLength} characters.";
        if (!PhoneCharacters().IsMatch(value.Trim()))
            return "A phone number may contain only digits, spaces, +, -, ( and ).";
        var digits = Digits(value).Length;
        return digits is < 7 or > 15 ? "A phone number has 7 to 15 digits." : null;
    }

    public static string? StreetAddress(string? value) => Optional(value, "street address", StreetAddressMaxLength);
    public static string? City(string? value) => Optional(value, "city", CityMaxLength);
    public static string? Province(string? value) => Optional(value, "province", ProvinceMaxLength);
    public static string? PostalCode(string? value) => Optional(value, "postal code", PostalCodeMaxLength);

    public static string? PreferredLanguage(ClientLanguage value) =>
        Enum.IsDefined(value) ? null : "Choose English or French.";

    public static string? EndDate(DateTime? endDate, DateTime? dateOfBirth) =>
        endDate is { } end && dateOfBirth is { } dob && end.Date < dob.Date
            ? "The end date cannot be before the date of birth."
            : null;

    public static Dictionary<string, string> Validate(ClientEditModel model, DateOnly today, string phoneRegion)
    {
        var errors = new Dictionary<string, string>();
        void Check(string field, string? problem)
        {
            if (problem is not null)
                errors[field] = problem;
        }
        Check(nameof(model.FirstName), FirstName(model.FirstName));
        Check(nameof(model.LastName), LastName(model.LastName));
        Check(nameof(model.PreferredName), PreferredName(model.PreferredName));
        Check(nameof(model.DateOfBirth), DateOfBirth(model.DateOfBirth, today));
        Check(nameof(model.Email), Email(model.Email));
        Check(nameof(model.MobilePhone), MobilePhone(model.MobilePhone, phoneRegion));
        Check(nameof(model.StreetAddress), StreetAddress(model.StreetAddress));
        Check(nameof(model.City), City(model.City));
        Check(nameof(model.Province), Province(model.Province));
        Check(nameof(model.PostalCode), PostalCode(model.PostalCode));
        Check(nameof(model.PreferredLanguage), PreferredLanguage(model.PreferredLanguage));
        Check(nameof(model.EndDate), EndDate(model.EndDate, model.DateOfBirth));
        return errors;
    }

    public static string Digits(string value) => new(value.Where(char.IsAsciiDigit).ToArray());

    private static string? Optional(string? value, string what, int max) =>
        value is not null && value.Trim().Length > max ? $"The {what} can be at most {max} characters." : null;

    private static string? RequiredName(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            return $"Enter the {what}.";
        return value.Trim().Length > NameMaxLength ? $"The {what} can be at most {NameMaxLength} characters." : null;
    }

    // Over at most PhoneMaxLength characters (checked first), so the timeout cannot be reached: no handler needed.
    [GeneratedRegex(@"^\+?[0-9 ()\-]+$", RegexOptions.None, matchTimeoutMilliseconds: Infrastructure.RegexTimeout.Milliseconds)]
    private static partial Regex PhoneCharacters();
}
