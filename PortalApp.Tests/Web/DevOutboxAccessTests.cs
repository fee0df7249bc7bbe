using System.Net;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>The Messages log is for all staff; the Dev outbox only exists with the Folder transport (DevMailboxAccessTests: who opens it).</summary>
public sealed class DevOutboxAccessTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task Every_staff_member_has_the_messages_log_beside_the_email_log()
    {
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        var page = await frontDesk.GetStringAsync("/clients");
        Assert.Contains("href=\"/messages-log\"", page);
        Assert.True(page.IndexOf("Email log", StringComparison.Ordinal) < page.IndexOf("Messages log", StringComparison.Ordinal));
        Assert.Contains("<title>Messages log</title>", await frontDesk.GetStringAsync("/messages-log"));
    }

    [Fact]
    public async Task With_twilio_the_dev_outbox_does_not_exist()
    {
        await using var twilio = await LoopbackTwilio.StartAsync();
        await using var factory = new PortalAppFactory();
        foreach (var (key, value) in twilio.Settings)
            factory.With(key, value);
        var admin = await StaffClient.SignedInAsync(factory, "admin@demo.clinic");

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/dev/outbox")).StatusCode);
        Assert.DoesNotContain("Dev outbox", await admin.GetStringAsync("/clients"));
    }
}
