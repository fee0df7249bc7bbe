using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Infrastructure;

public static class DatabaseSetup
{
    public const string ConnectionStringName = "Portal";

    /// <summary>
    /// SQLite through one DbContext per operation. A relative database path is taken from the content root, so the
    /// app finds the same file whichever folder it was started from; Data Protection keys live beside it, and both are
    /// created private to the app's user (DataFiles).
    /// </summary>
    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
            throw new InvalidOperationException($"The setting ConnectionStrings:{ConnectionStringName} is missing. Set it to e.g. \"Data Source=App_Data/portal.db\".");

        var connection = new SqliteConnectionStringBuilder(configured);
        if (string.IsNullOrWhiteSpace(connection.DataSource) || connection.DataSource == ":memory:")
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} must name a database file (Data Source=...).");
        connection.DataSource = Path.GetFullPath(connection.DataSource, environment.ContentRootPath);
        var files = DataFiles.For(connection.DataSource);
        files.CreateMissing();
        services.AddSingleton(files);

        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SqliteConnectionSetup>();
        services.AddDbContextFactory<PortalDbContext>((provider, options) => options
            .UseSqlite(connection.ToString())
            .AddInterceptors(provider.GetRequiredService<SqliteConnectionSetup>())
            // SQLite cannot add a foreign key to a table, so EF rebuilds the table with foreign keys off, outside the
            // migration's transaction, and warns about it on every install. README "Upgrading" asks for a backup first.
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.NonTransactionalMigrationOperationWarning)));

        services.AddDataProtection()
            .SetApplicationName("PortalApp")
            .PersistKeysToFileSystem(new DirectoryInfo(files.KeysFolder));
        return services;
    }
}
