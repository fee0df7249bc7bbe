using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// The whole app, as Program.cs builds it, over a database, mailbox, texts folder and log folder of this factory's own.
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

    /// <summary>
    /// Whether this factory starts on a copy of the demo clinic made once per test run: migrating and seeding a new
    /// database took seconds per factory. Settings that shape the database (or a clock that dates the demo data) make
    /// their own, as a first start would.
    /// </summary>
    protected virtual bool StartsFromDemoTemplate =>
        _clock is null && !_settings.Keys.Any(k => k.StartsWith("ConnectionStrings:") || k.StartsWith("Database:") || k.StartsWith("Seed:") || k.StartsWith("Clinic:"));

    private static readonly Lazy<string> DemoTemplate = new(MakeDemoTemplate, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string MakeDemoTemplate()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portalapp-tests", $"demo-template-{Guid.NewGuid():N}");
        var file = Path.Combine(folder, "portal.db");
        using (var factory = new TemplateMaker())
        {
            factory.CreateClient().Dispose();
            using (var db = factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
                db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(TRUNCATE);"); // everything into the one file
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            CopyDatabase(Path.Combine(factory.Folder, "portal.db"), file);
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); };
        return file;
    }

    /// <summary>The database file and its data protection keys (the demo data holds protected values).</summary>
    private static void CopyDatabase(string from, string to)
    {
        var keys = Infrastructure.DataFiles.For(to).KeysFolder;
        Directory.CreateDirectory(keys);
        File.Copy(from, to);
        foreach (var key in Directory.GetFiles(Infrastructure.DataFiles.For(from).KeysFolder))
            File.Copy(key, Path.Combine(keys, Path.GetFileName(key)));
    }

    private sealed class TemplateMaker : PortalAppFactory
    {
        protected override bool StartsFromDemoTemplate => false;
    }

    private bool _copied;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (StartsFromDemoTemplate && !_copied)
        {
            CopyDatabase(DemoTemplate.Value, _folder.File("portal.db"));
            _copied = true;
        }
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Portal", $"Data Source={_folder.File("portal.db")}");
        builder.UseSetting("Email:PickupFolder", _folder.File("mailbox"));
        builder.UseSetting("Messaging:PickupFolder", _folder.File("texts"));
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
        builder.ConfigureServices(services => services.UseCheapPasswordHashing());
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
