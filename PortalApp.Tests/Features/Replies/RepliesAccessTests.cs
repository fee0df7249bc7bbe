using System.Net;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Replies;

/// <summary>Who may open Replies to review: front desk and admins, not practitioners (the server refuses, not only the menu).</summary>
public sealed class RepliesAccessTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task A_practitioner_is_refused_the_page_and_sees_no_link_to_it()
    {
        var practitioner = await StaffClient.SignedInAsync(app.Factory, "practitioner@demo.clinic");

        var refused = await practitioner.GetAsync("/replies");
        var html = await PortalForms.TextAsync(await practitioner.GetAsync(refused.Headers.Location));

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("Your account does not have the role this page needs.", html);
        Assert.DoesNotContain("Replies to review", await practitioner.GetStringAsync("/clients"));
    }

    [Fact]
    public async Task The_front_desk_opens_it_from_the_menu()
    {
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        var clients = await frontDesk.GetStringAsync("/clients");
        var page = await frontDesk.GetAsync("/replies");

        Assert.Contains("href=\"/replies\"", clients);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Replies to review</title>", await page.Content.ReadAsStringAsync());
    }
}
