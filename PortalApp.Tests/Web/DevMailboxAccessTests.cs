using System.Net;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>The Dev mailbox shows every patient's emails: a developer's tool, for admins, in Development only.</summary>
public sealed class DevMailboxAccessTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task In_development_admins_open_it_and_other_staff_neither_see_nor_open_it()
    {
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/dev/mailbox")).StatusCode);
        Assert.Contains("Dev mailbox", await admin.GetStringAsync("/clients"));
        var refused = await frontDesk.GetAsync("/dev/mailbox");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/access-denied", refused.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain("Dev mailbox", await frontDesk.GetStringAsync("/clients"));
    }

    [Fact]
    public async Task In_production_it_does_not_exist_even_for_an_admin_with_the_pickup_folder_allowed()
    {
        await using var production = await ProductionAppFactory.StartAsync();
        var admin = production.Https();
        await StaffClient.PostSignInAsync(admin, ProductionAppFactory.AdminEmail, ProductionAppFactory.AdminPassword);

        var clients = await admin.GetAsync("/clients");
        Assert.Equal(HttpStatusCode.OK, clients.StatusCode);
        Assert.DoesNotContain("Dev mailbox", await clients.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/dev/mailbox")).StatusCode);
    }
}
