namespace PortalApp.Tests.TestSupport;

/// <summary>The browser fixture with the app sending through real SMTP to an in-process server on 127.0.0.1.</summary>
public sealed class SmtpBrowserFixture : BrowserFixture
{
    public SmtpTestServer Smtp { get; private set; } = null!;

    protected override async Task<PortalServer> StartServerAsync()
    {
        Smtp = await SmtpTestServer.StartNewAsync();
        return PortalServer.Start(app => app
            .With("Email:Transport", "Smtp")
            .With("Email:Smtp:Host", "127.0.0.1")
            .With("Email:Smtp:Port", Smtp.Port.ToString())
            .With("Email:Smtp:Security", "None"));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Smtp is not null)
            await Smtp.DisposeAsync();
    }
}
