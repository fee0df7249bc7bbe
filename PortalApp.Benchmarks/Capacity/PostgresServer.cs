using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// A PostgreSQL server for the provider figures: the one PORTALAPP_TEST_POSTGRES names when set, else a throwaway
/// cluster started as ./test.sh starts one (initdb and pg_ctl as the postgres user, a free port on 127.0.0.1, a temp
/// folder, removed at the end). The throwaway cluster keeps PostgreSQL's durable defaults (fsync and synchronous
/// commit on), so its figures compare fairly with SQLite's; the settings in force are printed either way.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string _bin;
    private readonly List<string> _databases = [];

    private PostgresServer(string connectionString, string? folder, string bin) => (ConnectionString, _folder, _bin) = (connectionString, folder, bin);

    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).Order().LastOrDefault() : null;
        if (Environment.GetEnvironmentVariable("PORTALAPP_TEST_POSTGRES") is { Length: > 0 } given)
            return new PostgresServer(given, null, bin ?? "");
        if (bin is null || OperatingSystem.IsWindows())
            throw new InvalidOperationException("PostgreSQL is not installed: apt-get install -y postgresql (or set PORTALAPP_TEST_POSTGRES to a server where the user may create databases).");
        var folder = Directory.CreateTempSubdirectory("portalapp-bench-pg.").FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101); // the postgres user must reach it
        var port = FreePort();
        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=portal;Database=postgres;Maximum Pool Size=50", folder, bin);
        if (Environment.UserName == "root")
            await RunAsync("chown", ["postgres", folder]);
        await server.AsPostgresAsync($"{bin}/initdb -D {folder}/data -U portal --auth=trust -E UTF8 --locale=C.UTF-8");
        await server.AsPostgresAsync($"{bin}/pg_ctl -D {folder}/data -l {folder}/log -w -o '-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200' start");
        return server;
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"bench_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ToString();
    }

    public async Task<string> DurabilityAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version(), current_setting('fsync'), current_setting('synchronous_commit')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"{reader.GetString(0).Split(" on ")[0]}, fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}";
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private Task AsPostgresAsync(string command) =>
        Environment.UserName == "root" ? RunAsync("su", ["postgres", "-s", "/bin/sh", "-c", command]) : RunAsync("/bin/sh", ["-c", command]);

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_folder is null)
        {
            foreach (var name in _databases)
                await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            return;
        }
        await AsPostgresAsync($"{_bin}/pg_ctl -D {_folder}/data -m fast stop");
        Directory.Delete(_folder, recursive: true);
    }
}
