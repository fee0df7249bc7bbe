namespace PortalApp.Infrastructure;

/// <summary>
/// Where the installation keeps what must stay private: the database (with its -wal and -shm) holds health data, and
/// the Data Protection keys are enough to forge a sign-in. On Linux they are created readable by the app's own user
/// only (folders 0700, files 0600), and start-up names any of them another user of the server could open.
/// </summary>
public sealed record DataFiles(string Folder, string KeysFolder, string Database)
{
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static DataFiles For(string database) =>
        new(Path.GetDirectoryName(database)!, Path.Combine(Path.GetDirectoryName(database)!, "keys"), database);

    /// <summary>Creates what is missing, private from the start. What exists is left as it is (start-up warns instead).</summary>
    public void CreateMissing()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Folder);
            return;
        }
        Directory.CreateDirectory(Folder, PrivateFolder);
        // Data Protection would create its folder 0755 (it writes each key file 0600 itself: checked on .NET 10).
        Directory.CreateDirectory(KeysFolder, PrivateFolder);
        // SQLite would create the database with the process's umask (usually 0644) and gives -wal and -shm the
        // database's mode. An empty file is a new database to SQLite, so it gets ours.
        if (!File.Exists(Database))
        {
            try
            {
                using var _ = new FileStream(Database, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFile });
            }
            catch (IOException) when (File.Exists(Database))
            {
                // Another process (admin create, a second instance) made it first.
            }
        }
    }

    /// <summary>Each of these paths another user of the server can read, write or enter, with its mode (e.g. 0755).</summary>
    public IReadOnlyList<(string Path, string Mode)> OpenToOthers()
    {
        if (OperatingSystem.IsWindows())
            return [];
        var open = new List<(string, string)>();
        foreach (var path in (string[])[Folder, KeysFolder, Database, Database + "-wal", Database + "-shm", .. KeyFiles()])
        {
            if ((File.Exists(path) || Directory.Exists(path)) && File.GetUnixFileMode(path) is var mode && (mode & GroupOrOthers) != 0)
                open.Add((path, "0" + Convert.ToString((int)mode, 8)));
        }
        return open;
    }

    private string[] KeyFiles() => Directory.Exists(KeysFolder) ? Directory.GetFiles(KeysFolder) : [];

    /// <summary>At start-up: one warning per path, with the command that fixes it.</summary>
    public void WarnWhenOpen(ILogger logger)
    {
        foreach (var (path, mode) in OpenToOthers())
        {
            logger.LogWarning(
                "{Path:l} can be opened by other users of this server (mode {Mode:l}). It holds health data or the keys that sign staff and patients in. Make it private to the app's user: chmod {Private:l} {Path:l}",
                path, mode, Directory.Exists(path) ? "700" : "600", path);
        }
    }
}
