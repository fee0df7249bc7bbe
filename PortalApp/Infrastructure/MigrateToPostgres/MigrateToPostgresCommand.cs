using System.Xml;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using PortalApp.Data;

namespace PortalApp.Infrastructure.MigrateToPostgres;

/// <summary>
/// <c>admin migrate-to-postgres --from FILE --to CONNECTION</c>: moves a clinic from its SQLite file to an empty
/// PostgreSQL database. The target gets the PostgreSQL migrations, then every table of the model in one transaction,
/// parents first, with the same ids; each table's row count and checksum are compared on both sides before it
/// commits. The SQLite file is only read, in one read transaction: the copy is the clinic as it stood at one moment,
/// even while the app goes on writing.
/// </summary>
public static class MigrateToPostgresCommand
{
    public const string Usage = "Usage: dotnet PortalApp.dll admin migrate-to-postgres --from App_Data/portal.db --to \"Host=db.yourclinic.example;Database=portal;Username=portal\"\n"
        + "       (the password from the environment: PGPASSWORD, never on the command line)";

    public static bool Matches(string[] args) => args is ["admin", "migrate-to-postgres", ..];

    /// <param name="afterTableCopied">A test's seam: runs inside the copy's transaction after each table.</param>
    public static async Task<int> RunAsync(string[] args, AdminConsole console, Func<string, NpgsqlConnection, Task>? afterTableCopied = null, CancellationToken ct = default)
    {
        var (from, to) = (AdminCommand.Option(args, "--from"), AdminCommand.Option(args, "--to"));
        if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
            return Fail(console, 2, "--from (the SQLite database file) and --to (the PostgreSQL connection string) are required.", usage: true);
        if (TargetFrom(to) is not { } target)
            return Fail(console, 2, "--to is not a PostgreSQL connection string with a Host and a Database, e.g. \"Host=db.yourclinic.example;Database=portal;Username=portal\".", usage: true);
        var file = Path.GetFullPath(from);
        if (!File.Exists(file))
            return Fail(console, 1, $"There is no SQLite database at {file}. Give --from the app's database file (ConnectionStrings:Portal, e.g. App_Data/portal.db).");

        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        await using var postgres = new NpgsqlConnection(target.ToString());
        try
        {
            await source.OpenAsync(ct);
            await SourceSnapshot.BeginAsync(source, ct);
            if (await SourceSnapshot.SchemaProblemAsync(source, ct) is { } problem)
                return Fail(console, 1, $"{file}: {problem}");
        }
        catch (SqliteException ex)
        {
            return Fail(console, 1, $"{file} cannot be read as a SQLite database ({ex.Message}). Is it the app's database file, and readable by this user?");
        }
        try
        {
            await postgres.OpenAsync(ct);
            if (await TargetDatabase.FirstTableWithRowsAsync(postgres, await TargetDatabase.ExistingTablesAsync(postgres, ct), ct) is { } filled)
                return Fail(console, 1, Refusal(target, filled));
            console.Out.WriteLine($"Copying {file} to the database {target.Database} on {target.Host}.");
            await using var model = TargetDatabase.Context(postgres);
            await model.Database.MigrateAsync(ct);
            var plan = CopyPlan.For(model.Model);

            // One transaction: an app started on the target too early would add its roles and clinic row, and the copy's
            // rows would then collide with them and roll back whole, never half-copied.
            await using var tx = await postgres.BeginTransactionAsync(ct);

            var keysFolder = DataFiles.For(file).KeysFolder;
            var copied = new Dictionary<string, TableFigures>();
            foreach (var table in plan)
            {
                var rows = TableCopy.ReadAsync(table, source, ct: ct);
                if (table.Name == KeyRingRows.Table)
                    rows = KeyRingRows.WithKeyFiles(table, rows, keysFolder);
                copied[table.Name] = await TableCopy.CopyAsync(table, rows, postgres, ct);
                if (afterTableCopied is not null)
                    await afterTableCopied(table.Name, postgres);
            }
            await TargetDatabase.MoveSequencesPastCopiedIdsAsync(postgres, plan, ct);

            var verified = true;
            console.Out.WriteLine($"{"Table",-26} {"SQLite rows",11} {"PostgreSQL",11}  {"SQLite sum",-12} {"PostgreSQL",-12}");
            foreach (var table in plan)
            {
                var (sent, held) = (copied[table.Name], await TableCopy.FiguresAsync(table, postgres, ct));
                var same = sent == held;
                verified &= same;
                console.Out.WriteLine($"{table.Name,-26} {sent.Rows,11:N0} {held.Rows,11:N0}  {sent.Checksum[..12]} {held.Checksum[..12]}  {(same ? "same" : "DIFFERENT")}");
            }
            if (!verified)
                return Fail(console, 1, "The copy does not match the SQLite database (DIFFERENT above). Nothing was kept: the target is as empty as before.");
            await tx.CommitAsync(ct);
            console.Out.WriteLine(NextSteps(KeyRingRows.Files(keysFolder).Count, keysFolder));
            return 0;
        }
        catch (Exception ex) when (ex is SqliteException or NpgsqlException or InvalidOperationException or NotSupportedException or FormatException or XmlException)
        {
            return Fail(console, 1, $"The copy failed, and nothing was kept in the target: {ex.Message}");
        }
        finally
        {
            NpgsqlConnection.ClearPool(postgres);
        }
    }

    private static NpgsqlConnectionStringBuilder? TargetFrom(string to)
    {
        try
        {
            var target = new NpgsqlConnectionStringBuilder(to) { Pooling = false };
            return string.IsNullOrWhiteSpace(target.Host) || string.IsNullOrWhiteSpace(target.Database) ? null : target;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Refusal(NpgsqlConnectionStringBuilder target, string table) =>
        $"The database {target.Database} on {target.Host} is not empty: {table} already holds rows. Nothing was changed. "
        + "The copy goes only into an empty database (create a new one: CREATE DATABASE portal OWNER portal), so nothing there is mixed with or overwritten by the clinic's data.";

    private static string NextSteps(int keyFiles, string keysFolder) =>
        (keyFiles == 0
            ? $"Warning: there were no Data Protection keys in {keysFolder}. Everyone will sign in again, and links in emails still waiting cannot be sent.\n"
            : $"The {keyFiles} Data Protection key(s) from {keysFolder} are in the database: sign-ins and waiting emails carry on.\n")
        + "Every table was copied and matches. Next steps:\n"
        + "  1. Stop the app. Anything saved on SQLite after the copy began is not in PostgreSQL: if the app ran during the copy,\n"
        + "     run the copy again after stopping it, into a new empty database.\n"
        + "  2. Set Database__Provider=PostgreSql and ConnectionStrings__Portal to the PostgreSQL connection string\n"
        + "     (in the service's environment file, with the password; not in appsettings.json).\n"
        + "  3. Start the app. Keep the SQLite file and its keys folder, private, until you are sure.";

    private static int Fail(AdminConsole console, int code, string problem, bool usage = false)
    {
        console.Error.WriteLine(problem);
        if (usage)
            console.Error.WriteLine(Usage);
        return code;
    }
}

/// <summary>The SQLite side: one read transaction (a snapshot in WAL mode, which writers do not wait for) and its schema check.</summary>
internal static class SourceSnapshot
{
    /// <summary>
    /// A plain (deferred) BEGIN: a read transaction whose snapshot is fixed by its first read, not BEGIN IMMEDIATE (the
    /// write lock, which the app would wait for). Closing the connection ends it; nothing is ever written.
    /// </summary>
    public static async Task BeginAsync(SqliteConnection source, CancellationToken ct)
    {
        await using var command = source.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000; BEGIN;";
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Why this file cannot be copied as it is, or null. The first read also fixes the snapshot.</summary>
    public static async Task<string?> SchemaProblemAsync(SqliteConnection source, CancellationToken ct)
    {
        var applied = new List<string>();
        await using (var command = source.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
            if (await command.ExecuteScalarAsync(ct) is null)
                return "this is not a PortalApp database (it has no __EFMigrationsHistory table).";
            command.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                applied.Add(reader.GetString(0));
        }
        await using var model = new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>()
            .UseSqlite(source).UseApplicationServiceProvider(IdentityModel.Services).Options);
        var known = model.Database.GetMigrations().ToList();
        if (known.Except(applied).FirstOrDefault() is { } missing)
            return $"the database is older than this version of PortalApp (it lacks {missing}). Start this version on it once (it migrates at start-up), then copy.";
        if (applied.Except(known).FirstOrDefault() is { } unknown)
            return $"the database was made by a newer version of PortalApp ({unknown}). Copy it with that version.";
        return null;
    }
}

/// <summary>The PostgreSQL side: its model, whether it is empty, and its identity sequences.</summary>
internal static class TargetDatabase
{
    public static PostgreSqlPortalDbContext Context(NpgsqlConnection connection) => new(new DbContextOptionsBuilder<PostgreSqlPortalDbContext>()
        .UseNpgsql(connection, npgsql => npgsql.ExecutionStrategy(dependencies => new NonRetryingExecutionStrategy(dependencies)))
        .UseApplicationServiceProvider(IdentityModel.Services).Options);

    /// <summary>Every table already there (none, in a new database), whatever made it, but EF's record of migrations.</summary>
    public static async Task<List<string>> ExistingTablesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '__EFMigrationsHistory' ORDER BY table_name", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tables = new List<string>();
        while (await reader.ReadAsync(ct))
            tables.Add(reader.GetString(0));
        return tables;
    }

    public static async Task<string?> FirstTableWithRowsAsync(NpgsqlConnection connection, IEnumerable<string> tables, CancellationToken ct)
    {
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {CopyTable.Quote(table)})", connection);
            if (await command.ExecuteScalarAsync(ct) is true)
                return table;
        }
        return null;
    }

    /// <summary>Ids were copied as they were, so each identity sequence would hand out 1 next: move it past the highest.</summary>
    public static async Task MoveSequencesPastCopiedIdsAsync(NpgsqlConnection connection, IEnumerable<CopyTable> plan, CancellationToken ct)
    {
        foreach (var table in plan)
        {
            foreach (var key in table.Key.Where(k => k.Kind is ColumnKind.Int32 or ColumnKind.Int64))
            {
                await using var find = new NpgsqlCommand("SELECT pg_get_serial_sequence($1, $2)", connection);
                find.Parameters.Add(new NpgsqlParameter { Value = CopyTable.Quote(table.Name) });
                find.Parameters.Add(new NpgsqlParameter { Value = key.Name });
                if (await find.ExecuteScalarAsync(ct) is not string sequence)
                    continue;
                await using var move = new NpgsqlCommand($"SELECT setval($1::regclass, COALESCE((SELECT MAX({CopyTable.Quote(key.Name)}) FROM {CopyTable.Quote(table.Name)}), 0) + 1, false)", connection);
                move.Parameters.Add(new NpgsqlParameter { Value = sequence });
                await move.ExecuteScalarAsync(ct);
            }
        }
    }
}
