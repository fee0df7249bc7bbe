using PortalApp.Data;
using PortalApp.Auditing;

namespace PortalApp.Tests.TestSupport;

public static class Staff
{
    public static readonly StaffActor FrontDesk = new("staff-frontdesk", "Fran Desk", StaffRoles.FrontDesk);
    public static readonly StaffActor Admin = new("staff-admin", "Alex Admin", StaffRoles.Admin);
    public static readonly StaffActor Practitioner = new("staff-practitioner", "Dr. Amara Okafor", StaffRoles.Practitioner);
}
