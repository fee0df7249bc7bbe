using Microsoft.Data.Sqlite;

namespace PortalApp.Tests.TestSupport;

/// <summary>A folder of a test's own (database, mailbox, logs), removed afterwards: tests never share files.</summary>
public sealed class TestFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "portalapp-tests", Guid.NewGuid().ToString("N"));

    public TestFolder()
    {
        // Private, as the app makes its own data folder: otherwise every app started here warns that it is not.
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(Path);
        else
            Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        // Pooled SQLite connections keep the file open; release them before deleting.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A straggling handle (e.g. the log file) must not fail the test; the OS temp cleaner gets it.
        }
    }
}
