using System.Net;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>
/// The Dev mailbox and the Dev outbox show every patient's emails, texts and calls: developers' tools, for admins, in
/// Development only.
/// </summary>
public sealed class DevMailboxAccessTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Theory]
    [InlineData("/dev/mailbox", "Dev mailbox")]
    [InlineData("/dev/outbox", "Dev outbox")]
    public async Task In_development_admins_open_it_and_other_staff_neither_see_nor_open_it(string path, string link)
    {
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        Assert.Contains(link, await admin.GetStringAsync("/clients"));
        var refused = await frontDesk.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/access-denied", refused.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain(link, await frontDesk.GetStringAsync("/clients"));
    }

    [Fact]
    public async Task In_production_neither_exists_even_for_an_admin_with_the_folders_allowed()
    {
        await using var production = await ProductionAppFactory.StartAsync();
        var admin = production.Https();
        await StaffClient.PostSignInAsync(admin, ProductionAppFactory.AdminEmail, ProductionAppFactory.AdminPassword);

        var clients = await admin.GetAsync("/clients");
        Assert.Equal(HttpStatusCode.OK, clients.StatusCode);
        var page = await clients.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Dev mailbox", page);
        Assert.DoesNotContain("Dev outbox", page);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/dev/mailbox")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/dev/outbox")).StatusCode);
    }
}
