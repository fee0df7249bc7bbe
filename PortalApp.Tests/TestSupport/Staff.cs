using PortalApp.Features.Audit;

namespace PortalApp.Tests.TestSupport;

public static class Staff
{
    public static readonly StaffActor FrontDesk = new("staff-frontdesk", "Fran Desk");
    public static readonly StaffActor Admin = new("staff-admin", "Alex Admin");
}
