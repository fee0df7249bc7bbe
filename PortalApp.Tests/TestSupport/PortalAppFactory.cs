using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// The whole app, as Program.cs builds it, over a database, mailbox and log folder of this factory's own.
/// Development environment, so the demo clinic is seeded and its staff can sign in.
/// </summary>
public class PortalAppFactory : WebApplicationFactory<Program>
{
    private readonly TestFolder _folder = new();
    private readonly Dictionary<string, string?> _settings = [];

    public string Folder => _folder.Path;
    public string LogFolder => _folder.File("logs");

    /// <summary>Replaces the app's clock (the only fake in these tests).</summary>
    public PortalAppFactory WithClock(TimeProvider clock)
    {
        _clock = clock;
        return this;
    }

    private TimeProvider? _clock;

    public PortalAppFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Portal", $"Data Source={_folder.File("portal.db")}");
        builder.UseSetting("Email:PickupFolder", _folder.File("mailbox"));
        // Not UseSetting: it passes settings as command-line arguments, which Serilog's nested sink sections do not survive.
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:WriteTo:File:Args:path"] = Path.Combine(LogFolder, "portal-.log"),
        }));
        builder.UseSetting("Seed:DemoData", "true");
        // Tests share one client address; the flood test sets its own low limit.
        builder.UseSetting("RateLimits:PortalFormsPerMinute", "10000");
        // Reminders would otherwise go to the demo clinic's patients a minute after start, into mailboxes other tests read;
        // a test about reminders sets a short interval with With(...).
        builder.UseSetting("Reminders:PollIntervalSeconds", "3600");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        if (_clock is { } clock)
            builder.ConfigureServices(services => services.AddSingleton(clock));
    }

    public async Task<PortalDbContext> DbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    public string ReadLogs() =>
        Directory.Exists(LogFolder)
            ? string.Concat(Directory.GetFiles(LogFolder).Select(ReadShared))
            : "";

    // The app still holds the log file open for writing.
    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            _folder.Dispose();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
