using System.Net;
using PortalApp.Email;
using PortalApp.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace PortalApp.Tests.Web;

public sealed class SmtpTransportConfigTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new PortalAppFactory()
        .With("Email:Transport", "Smtp")
        .With("Email:Smtp:Host", "127.0.0.1")
        .With("Email:Smtp:Port", "2525")
        .With("Email:Smtp:Security", "None");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task With_real_smtp_the_app_uses_mailkit_and_hides_the_dev_mailbox()
    {
        var client = await StaffClient.SignedInAsync(_factory, "admin@demo.clinic"); // the only role it is ever shown to

        Assert.IsType<SmtpEmailTransport>(_factory.Services.GetRequiredService<IEmailTransport>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dev/mailbox")).StatusCode);
        Assert.DoesNotContain("Dev mailbox", await client.GetStringAsync("/clients"));
    }
}
