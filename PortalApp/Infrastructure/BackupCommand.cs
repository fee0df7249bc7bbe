using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PortalApp.Data;
using PortalApp.Auditing;

namespace PortalApp.Infrastructure;

/// <summary>
/// <c>admin backup --to FILE</c>: a consistent copy of the database, safe while the app runs. SQLite's online backup
/// copies every page under one read transaction, so the copy is the database as it stood at one moment (what is
/// still in the -wal included) while the app goes on writing. The file is private to this user (0600), an existing
/// file is never overwritten, and the backup is audited.
/// </summary>
public static class BackupCommand
{
    public static bool Matches(string[] args) => args is ["admin", "backup", ..];

    /// <summary>What to run instead on PostgreSQL, where the database is the server's and its own tools back it up.</summary>
    public const string PostgreSqlAnswer = "admin backup is for SQLite; on PostgreSQL use pg_dump, e.g. "
        + "pg_dump --format=custom --file=/var/backups/portalapp/portal-$(date +%F).dump \"host=db.yourclinic.example dbname=portal user=portal\" "
        + "(restore with pg_restore). The Data Protection keys are in the database, so the dump holds them too.";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, AdminConsole console)
    {
        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.PostgreSql)
            return Fail(console, PostgreSqlAnswer);
        var to = AdminCommand.Option(args, "--to");
        if (string.IsNullOrWhiteSpace(to))
        {
            console.Error.WriteLine("--to is required.");
            console.Error.WriteLine("Usage: dotnet PortalApp.dll admin backup --to /backups/portal-2026-11-25.db");
            return 2;
        }
        var target = Path.GetFullPath(to);
        var database = services.GetRequiredService<DataFiles>().Database;
        if (new FileInfo(database) is not { Exists: true, Length: > 0 })
            return Fail(console, $"There is no database at {database} to back up. Is ConnectionStrings__Portal the same as the app's?");
        if (!Directory.Exists(Path.GetDirectoryName(target)))
            return Fail(console, $"The folder {Path.GetDirectoryName(target)} does not exist.");
        if (!TryCreatePrivate(target))
            return Fail(console, $"{target} already exists. A backup never overwrites a file: give it a new name, such as one with today's date.");

        try
        {
            await CopyAsync(services, target);
            // No copy of the health data leaves without its audit row: if the row cannot be written, the copy goes.
            await AuditAsync(services, AuditOutcome.Succeeded, $"Command line, to {target} ({new FileInfo(target).Length:N0} bytes)");
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException or DbUpdateException)
        {
            File.Delete(target);
            return Fail(console, $"The backup failed and nothing was kept: {ex.Message}");
        }
        console.Out.WriteLine($"Backup written to {target}.");
        return 0;
    }

    private static async Task CopyAsync(IServiceProvider services, string target)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync(); // with the app's busy timeout: waits out a writer's commit
        var source = (SqliteConnection)db.Database.GetDbConnection();
        await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
        await copy.OpenAsync();
        source.BackupDatabase(copy);
        // A standalone file: no -wal or -shm to carry beside it.
        await using var command = copy.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = DELETE;";
        if (await command.ExecuteScalarAsync() is not "delete")
            throw new InvalidOperationException("The copy could not be made a standalone file.");
        command.CommandText = "PRAGMA quick_check;";
        if (await command.ExecuteScalarAsync() is not "ok")
            throw new InvalidOperationException("The copy failed SQLite's integrity check.");
    }

    /// <summary>Creates the empty file 0600 (SQLite keeps the mode when it writes the copy), only if it does not exist.</summary>
    private static bool TryCreatePrivate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var _ = new FileStream(path, options);
            return true;
        }
        catch (IOException) when (File.Exists(path) || Directory.Exists(path))
        {
            return false;
        }
    }

    // Made from the command line: no staff member is signed in, so the row has none.
    private static async Task AuditAsync(IServiceProvider services, AuditOutcome outcome, string details)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        services.GetRequiredService<AuditLog>().Add(db, null, AuditActions.BackupMade, null, outcome, details);
        await db.SaveChangesAsync();
    }

    private static int Fail(AdminConsole console, string problem)
    {
        console.Error.WriteLine(problem);
        return 1;
    }
}
