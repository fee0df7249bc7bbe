using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Infrastructure;

namespace PortalApp.Benchmarks;

/// <summary>The app's services over a SQLite file of its own, as in production, without the web server.</summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    public static readonly StaffActor Staff = new("bench-staff", "Bench Staff", StaffRoles.FrontDesk);

    private readonly WebApplication _app;
    private readonly string _folder;

    private BenchmarkHost(WebApplication app, string folder) => (_app, _folder) = (app, folder);

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">More settings over the defaults: another provider (Database:Provider and
    /// ConnectionStrings:Portal), the SMTP transport.</param>
    /// <param name="services">Registrations over the app's own (the last registration of a service wins): a clock, a timed transport.</param>
    public static async Task<BenchmarkHost> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "portalapp-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production", ContentRootPath = folder, Args = PortalApp.Infrastructure.SettingsFiles.ReadOnceArgs(), // as the app
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(folder, "portal.db")}",
            ["Email:FromAddress"] = "portal@clinic.example",
            ["Clinic:Name"] = "Bench Clinic",
            ["Clinic:TimeZone"] = "America/Toronto",
            ["Clinic:PublicBaseUrl"] = "https://portal.clinic.example",
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddPortalCore(builder.Configuration, builder.Environment);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        await StartupTasks.PrepareDatabaseAsync(app.Services);
        return new BenchmarkHost(app, folder);
    }

    public T Scoped<T>() where T : notnull => _app.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
