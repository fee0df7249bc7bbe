using Microsoft.Extensions.Time.Testing;

namespace PortalApp.Tests.TestSupport;

/// <summary>The browser fixture with the app on a clock the test moves: idle time passes without waiting for it.</summary>
public sealed class FakeClockBrowserFixture : BrowserFixture
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override Task<PortalServer> StartServerAsync() => Task.FromResult(PortalServer.Start(app => app.WithClock(Clock)));
}
