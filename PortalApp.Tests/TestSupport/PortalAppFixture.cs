namespace PortalApp.Tests.TestSupport;

/// <summary>One running app shared by a test class whose tests do not disturb each other's data.</summary>
public sealed class PortalAppFixture : IAsyncLifetime
{
    public PortalAppFactory Factory { get; } = new();

    public ValueTask InitializeAsync()
    {
        // Building the client starts the host: migrations and the demo seed run here, once.
        Factory.CreateClient().Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
