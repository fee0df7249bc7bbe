using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using PortalApp.Data;

namespace PortalApp.Infrastructure;

public static class DatabaseSetup
{
    public const string ConnectionStringName = "Portal";

    /// <summary>
    /// The database through one DbContext per operation, on the provider <c>Database:Provider</c> names.
    /// SQLite (the default): a relative database path is taken from the content root, so the app finds the same file
    /// whichever folder it was started from; Data Protection keys live beside it, and both are created private to the
    /// app's user (DataFiles). PostgreSQL: the keys live in the database, so every instance reads one key ring.
    /// </summary>
    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
            throw new InvalidOperationException($"The setting ConnectionStrings:{ConnectionStringName} is missing. Set it to e.g. \"Data Source=App_Data/portal.db\".");

        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var provider = DatabaseOptions.ProviderFrom(configuration);
        var dataProtection = services.AddDataProtection().SetApplicationName("PortalApp");
        if (provider == DatabaseProvider.PostgreSql)
        {
            AddPostgreSql(services, configured);
            dataProtection.PersistKeysToDbContext<PortalDbContext>();
        }
        else
        {
            var files = AddSqlite(services, configured, environment);
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(files.KeysFolder));
        }
        // Features ask for the model, not the provider: one factory and one scoped context over whichever subclass runs.
        services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        return services;
    }

    private static DataFiles AddSqlite(IServiceCollection services, string configured, IHostEnvironment environment)
    {
        var connection = new SqliteConnectionStringBuilder(configured);
        if (string.IsNullOrWhiteSpace(connection.DataSource) || connection.DataSource == ":memory:")
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} must name a database file (Data Source=...).");
        connection.DataSource = Path.GetFullPath(connection.DataSource, environment.ContentRootPath);
        var files = DataFiles.For(connection.DataSource);
        files.CreateMissing();
        services.AddSingleton(files);

        services.AddSingleton<SqliteConnectionSetup>();
        services.AddDbContextFactory<SqlitePortalDbContext>((provider, options) => options
            .UseSqlite(connection.ToString())
            .AddInterceptors(provider.GetRequiredService<SqliteConnectionSetup>())
            // SQLite cannot add a foreign key to a table, so EF rebuilds the table with foreign keys off, outside the
            // migration's transaction, and warns about it on every install. README "Upgrading" asks for a backup first.
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.NonTransactionalMigrationOperationWarning)));
        services.AddSingleton<IDbContextFactory<PortalDbContext>, ProviderContextFactory<SqlitePortalDbContext>>();
        return files;
    }

    private static void AddPostgreSql(IServiceCollection services, string configured)
    {
        NpgsqlConnectionStringBuilder connection;
        try
        {
            connection = new NpgsqlConnectionStringBuilder(configured);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not a PostgreSQL connection string ({ex.Message}). Set it to e.g. \"Host=db.example;Database=portal;Username=portal\" and the password in the environment.");
        }
        if (string.IsNullOrWhiteSpace(connection.Host) || string.IsNullOrWhiteSpace(connection.Database))
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} must name a PostgreSQL Host and Database (e.g. \"Host=db.example;Database=portal;Username=portal\").");
        // No retrying strategy: the app's transactions are its own (and re-running one needs the form's new answer).
        // The non-retrying strategy also leaves a failure as the provider raised it, so a full disk or a unique index
        // is recognised as on SQLite instead of arriving wrapped as a "transient failure".
        services.AddDbContextFactory<PostgreSqlPortalDbContext>(options => options.UseNpgsql(connection.ToString(),
                npgsql => npgsql.ExecutionStrategy(dependencies => new NonRetryingExecutionStrategy(dependencies)))
            .AddInterceptors(WorkClaim.SkipLockedInterceptor.Instance));
        services.AddSingleton<IDbContextFactory<PortalDbContext>, ProviderContextFactory<PostgreSqlPortalDbContext>>();
    }

    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PortalDbContext>
        where TContext : PortalDbContext
    {
        public PortalDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
