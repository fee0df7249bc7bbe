using System.Net;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>The appointment reminder settings are the clinic's: admins change them, other staff cannot open them.</summary>
public sealed class ReminderSettingsAccessTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task Front_desk_staff_are_refused_the_reminder_settings_and_do_not_see_the_link()
    {
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        var refused = await frontDesk.GetAsync("/admin/reminders");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/access-denied", refused.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain("href=\"/admin/reminders\"", await frontDesk.GetStringAsync("/clients"));
    }

    [Fact]
    public async Task An_admin_opens_them_from_the_admin_menu()
    {
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");

        Assert.Contains("href=\"/admin/reminders\"", await admin.GetStringAsync("/clients"));
        var page = await admin.GetAsync("/admin/reminders");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Appointment reminders", await page.Content.ReadAsStringAsync());
    }
}
