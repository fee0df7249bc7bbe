using Npgsql;
using PortalApp.Data;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// The throwaway PostgreSQL server ./test.sh starts (a cluster of its own on a free port, removed at the end), and one
/// database per test on it, copied from a prepared template as the SQLite tests copy a prepared file.
/// </summary>
public static class TestPostgres
{
    public const string ServerVariable = "PORTALAPP_TEST_POSTGRES";
    public const string ProviderVariable = "PORTALAPP_TEST_PROVIDER";

    /// <summary>Which provider the service tests run on: ./test.sh runs them once on each.</summary>
    public static DatabaseProvider Provider =>
        Environment.GetEnvironmentVariable(ProviderVariable) is { Length: > 0 } value ? Enum.Parse<DatabaseProvider>(value, ignoreCase: true) : DatabaseProvider.Sqlite;

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"This test needs the PostgreSQL server that ./test.sh starts ({ServerVariable} is not set). Run ./test.sh, or set {ServerVariable} to a server where the user may create databases.");

    // Generous timeouts: the throwaway server shares two cores with the whole suite, and a connection that waits its turn
    // (Npgsql's default gives up after 15 s) is not a failure of the code under test.
    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = true, MaxPoolSize = 20, Timeout = 60, CommandTimeout = 120 }.ToString();

    private static string AdminConnectionString =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = true, MaxPoolSize = 8, Timeout = 60, CommandTimeout = 120 }.ToString();

    /// <summary>A new, empty database of the test's own.</summary>
    public static async Task<string> CreateDatabaseAsync(string? template = null)
    {
        var name = $"t_{Guid.NewGuid():N}";
        await ExecuteAsync(template is null
            ? $"CREATE DATABASE \"{name}\""
            : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" STRATEGY FILE_COPY");
        return name;
    }

    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString(name)));
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>Makes <paramref name="name"/> a template others are copied from: no connection may stay open to it.</summary>
    public static Task ReleaseAsync(string name)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString(name)));
        return Task.CompletedTask;
    }

    // Not queued: PostgreSQL copies one template into several databases at once (only a session connected to the
    // template blocks a copy, and ReleaseAsync closes ours before the first).
    // Pooled: a new server process per CREATE and per DROP was two of every test's three (about 45 ms of the server's
    // CPU each on these machines), and these sessions are to the server's own database, never to a template.
    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
