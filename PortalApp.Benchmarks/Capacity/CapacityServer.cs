using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// The whole app as Program.cs builds it, in this process (so a figure can force a full GC and read the heap), on a
/// real Kestrel socket on 127.0.0.1, Development environment with the demo clinic, over a database of its own.
/// Logs at Warning only: a line per request would be part of what is measured.
/// </summary>
public sealed class CapacityServer : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "portalapp-capacity", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings;

    private CapacityServer(IDictionary<string, string?> settings) => _settings = new(settings);

    public string BaseUrl { get; private set; } = "";
    public string MailboxFolder => Path.Combine(_folder, "mailbox");

    /// <summary>Blazor circuits open now, counted by a circuit handler of the benchmark's own.</summary>
    public int OpenCircuits => CircuitCounter.Open;

    public static CapacityServer Start(IDictionary<string, string?>? settings = null)
    {
        var server = new CapacityServer(settings ?? new Dictionary<string, string?>());
        // Private to this user, as the app asks of its data folder (else it warns at start-up).
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(server._folder);
        else
            Directory.CreateDirectory(server._folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        server.UseKestrel(0);
        server.StartServer();
        server.BaseUrl = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1").TrimEnd('/');
        return server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(_folder, "portal.db")}");
        builder.UseSetting("Email:PickupFolder", MailboxFolder);
        builder.UseSetting("Messaging:PickupFolder", Path.Combine(_folder, "texts"));
        builder.UseSetting("Seed:DemoData", "true");
        // One client address drives every request here: the per-address limits would measure themselves.
        builder.UseSetting("RateLimits:PortalFormsPerMinute", "10000");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Serilog:WriteTo:File:Args:path"] = Path.Combine(_folder, "logs", "portal-.log"),
        }));
        builder.ConfigureServices(services =>
        {
            services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitCounter>());
            // A tab closed without its unload beacon leaves a disconnected circuit, kept 3 minutes by default for a
            // reconnect; a figure that closes tabs waits for them to go, so here they go after 10 s.
            services.Configure<CircuitOptions>(options => options.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(10));
        });
    }

    /// <summary>Waits until exactly <paramref name="count"/> circuits are open, or fails after the timeout.</summary>
    public async Task WaitForCircuitsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (OpenCircuits != count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Expected {count} open circuits, found {OpenCircuits} after {timeout.TotalSeconds} s.");
            await CircuitCounter.Changed.WaitAsync(TimeSpan.FromMilliseconds(200));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class CircuitCounter : CircuitHandler
    {
        private static int _open;
        public static readonly SemaphoreSlim Changed = new(0);
        public static int Open => Volatile.Read(ref _open);

        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _open);
            Changed.Release();
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref _open);
            Changed.Release();
            return Task.CompletedTask;
        }
    }
}
