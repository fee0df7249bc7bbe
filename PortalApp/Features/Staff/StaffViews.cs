using PortalApp.Data;

namespace PortalApp.Features.Staff;

public enum StaffStatus
{
    Invited,
    Active,
    Locked,
    Disabled,
}

public sealed record StaffRow(
    string Id, string Name, string Email, IReadOnlyList<string> Roles, StaffStatus Status, DateTime? LastSignInAtUtc, bool TwoFactorEnabled,
    int? PractitionerId, string? PractitionerName, DateTime? InviteExpiresAtUtc);

public sealed record PractitionerOption(int Id, string DisplayName, string? LinkedStaffName);

public sealed class StaffInviteForm
{
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public HashSet<string> Roles { get; set; } = [];
    public int? PractitionerId { get; set; }
}

public abstract record StaffInviteResult
{
    public sealed record Invited(string UserId) : StaffInviteResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string> Errors) : StaffInviteResult;
}
