using System.ComponentModel.DataAnnotations;

namespace PortalApp.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>SQLite (a file beside the app: one clinic, one instance) or PostgreSQL (a server: several instances).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// SQLite only. Refuse to grow the database beyond this size, so a runaway cannot fill the server's disk. Empty: no
    /// limit. A write that would pass it fails like a full disk (SQLITE_FULL), and the app says so without losing the
    /// form. On PostgreSQL, size is the server's business: set a quota there; start-up says the setting is ignored.
    /// </summary>
    [Range(0, 1_000_000)]
    public int? MaxSizeMegabytes { get; set; }

    /// <summary>Read before the container is built, so a misspelt provider stops start-up with the allowed values.</summary>
    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var value = configuration[$"{Section}:{nameof(Provider)}"];
        if (string.IsNullOrWhiteSpace(value))
            return DatabaseProvider.Sqlite;
        return Enum.TryParse<DatabaseProvider>(value.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider is \"{value}\". Use Sqlite (the default) or PostgreSql.");
    }
}
