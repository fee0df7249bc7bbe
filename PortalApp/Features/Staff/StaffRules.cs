using PortalApp.Data;
using PortalApp.Email;

namespace PortalApp.Features.Staff;

/// <summary>What a staff account must be. The dialogs show these messages; StaffAdminService enforces them.</summary>
public static class StaffRules
{
    public const int NameMaxLength = 150;
    public const int SearchMaxLength = 100;
    public const string LastAdmin = "This is the last active admin. Give another staff member the Admin role first, so someone can still run PortalApp.";
    public const string NotAdmin = "Only an admin can manage staff accounts.";
    public const string Gone = "This staff account no longer exists. The list is refreshed.";

    public static string? Name(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "Enter the staff member's full name."
        : value.Trim().Length > NameMaxLength ? $"The name can be at most {NameMaxLength} characters." : null;

    public static string? Email(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "Enter the staff member's work email address: the invite goes there." : EmailAddressRules.Problem(value);

    public static string? Roles(IReadOnlyCollection<string>? roles) =>
        roles is not { Count: > 0 } ? "Choose at least one role."
        : roles.Any(r => !StaffRoles.All.Contains(r)) ? "Choose roles from the list." : null;

    public static Dictionary<string, string> Validate(StaffInviteForm form)
    {
        var errors = new Dictionary<string, string>();
        if (Name(form.Name) is { } name) errors[nameof(form.Name)] = name;
        if (Email(form.Email) is { } email) errors[nameof(form.Email)] = email;
        if (Roles(form.Roles) is { } roles) errors[nameof(form.Roles)] = roles;
        return errors;
    }

    /// <summary>What each role may do, in words for the admin choosing.</summary>
    public static string Describe(string role) => role switch
    {
        StaffRoles.Admin => "Admin: staff accounts, clinic settings, templates, audit log",
        StaffRoles.Practitioner => "Practitioner: writes chart notes",
        _ => "Front desk: clients, invites and messages",
    };
}
