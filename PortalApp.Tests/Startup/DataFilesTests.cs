using System.Runtime.Versioning;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Startup;

/// <summary>
/// The database and the Data Protection keys are private to the app's user on a fresh install, and start-up names
/// any that are not. (The test process's umask is the usual 0022: without the app's own modes the folders would be
/// 0755 and the files 0644.) Unix file modes: the app's servers and CI run Linux.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DataFilesTests
{
    private static string Mode(string path) => "0" + Convert.ToString((int)File.GetUnixFileMode(path), 8);

    [Fact]
    public async Task A_fresh_install_creates_its_data_folder_database_and_keys_for_the_apps_user_only()
    {
        await using var factory = new PortalAppFactory();
        var data = Path.Combine(factory.Folder, "App_Data");
        var database = Path.Combine(data, "portal.db");
        factory.With("ConnectionStrings:Portal", $"Data Source={database}");

        // The sign-in form's antiforgery token makes Data Protection write its first key.
        await StaffClient.Anonymous(factory).GetStringAsync("/account/sign-in");

        Assert.Equal("0700", Mode(data));
        Assert.Equal("0700", Mode(Path.Combine(data, "keys")));
        Assert.Equal("0600", Mode(database));
        // Another test's ClearAllPools can close every pooled connection, and SQLite then removes the -wal and -shm; a
        // connection of our own holds them open. SQLite makes them with the database file's mode, whoever opens it.
        await using var hold = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        await hold.OpenAsync();
        await using (var read = hold.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM AuditEvents";
            await read.ExecuteScalarAsync();
        }
        Assert.Equal("0600", Mode(database + "-wal"));
        Assert.Equal("0600", Mode(database + "-shm"));
        var keys = Directory.GetFiles(Path.Combine(data, "keys"));
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Equal("0600", Mode(key)));
        Assert.DoesNotContain("can be opened by other users", factory.ReadLogs());
    }

    [Fact]
    public async Task Start_up_warns_about_a_data_folder_and_a_database_other_users_can_open()
    {
        await using var factory = new PortalAppFactory();
        var data = Path.Combine(factory.Folder, "App_Data");
        var database = Path.Combine(data, "portal.db");
        // As an install by hand (mkdir, cp) under the usual umask leaves them.
        Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await File.WriteAllBytesAsync(database, []);
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        factory.With("ConnectionStrings:Portal", $"Data Source={database}");

        factory.CreateClient().Dispose();

        var logs = factory.ReadLogs();
        Assert.Contains($"{data} can be opened by other users of this server (mode 0755).", logs);
        Assert.Contains($"chmod 700 {data}", logs);
        Assert.Contains($"{database} can be opened by other users of this server (mode 0644).", logs);
        Assert.Contains($"chmod 600 {database}", logs);
        Assert.Equal("0755", Mode(data)); // warned, not changed behind the admin's back
    }
}
