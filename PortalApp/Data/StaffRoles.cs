namespace PortalApp.Data;

public static class StaffRoles
{
    public const string Admin = "Admin";
    public const string FrontDesk = "FrontDesk";
    public const string Practitioner = "Practitioner";

    public static readonly string[] All = [Admin, FrontDesk, Practitioner];

    /// <summary>Patient portal accounts: never a staff role, never on staff pages.</summary>
    public const string Patient = "Patient";

    /// <summary>For <c>[Authorize(Roles = ...)]</c>: any staff role.</summary>
    public const string AnyStaff = Admin + "," + FrontDesk + "," + Practitioner;
}
