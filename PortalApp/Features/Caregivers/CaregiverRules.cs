using PortalApp.Email;
using PortalApp.Features.Clients;

namespace PortalApp.Features.Caregivers;

/// <summary>What a caregiver invite must hold. The form shows these messages; the service enforces them.</summary>
public static class CaregiverRules
{
    public const int NoteMaxLength = 500;

    public static string? FirstName(string? value) => Name(value, "first name");
    public static string? LastName(string? value) => Name(value, "last name");

    public static string? Email(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "Enter the caregiver's email address: the invite goes there." : EmailAddressRules.Problem(value);

    public static string? Phone(string? value) => ClientRules.MobilePhone(value);

    public static string? Relationship(Data.CaregiverRelationship? value) =>
        value is null ? "Choose how the caregiver is related to the patient." : null;

    public static string? EndsOn(DateOnly? value, DateOnly today) =>
        value is { } date && date <= today ? "The access end date must be after today." : null;

    public static string? Note(string? value) =>
        value is { Length: > NoteMaxLength } ? $"The note can be at most {NoteMaxLength} characters." : null;


    /// <summary>The checks that need nothing but the form (the service adds those that need the database).</summary>
    public static Dictionary<string, string> Validate(CaregiverInviteForm form, DateOnly today, bool fromClientCard)
    {
        var errors = new Dictionary<string, string>();
        void Check(string field, string? problem)
        {
            if (problem is not null)
                errors.TryAdd(field, problem);
        }
        if (!fromClientCard)
        {
            Check(nameof(form.FirstName), FirstName(form.FirstName));
            Check(nameof(form.LastName), LastName(form.LastName));
            Check(nameof(form.Email), Email(form.Email));
            Check(nameof(form.Phone), Phone(form.Phone));
        }
        Check(nameof(form.Relationship), Relationship(form.Relationship));
        Check(nameof(form.EndsOn), EndsOn(form.EndsOn, today));
        Check(nameof(form.Note), Note(form.Note));
        if (!Enum.IsDefined(form.Level))
            errors[nameof(form.Level)] = "Choose the access level.";
        return errors;
    }

    private static string? Name(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? $"Enter the caregiver's {what}."
        : value.Trim().Length > ClientRules.NameMaxLength ? $"The {what} can be at most {ClientRules.NameMaxLength} characters." : null;
}
