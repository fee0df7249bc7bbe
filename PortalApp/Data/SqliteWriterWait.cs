using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace PortalApp.Data;

/// <summary>
/// How a SQLite connection waits for another connection's write to finish: it tries again every millisecond, for about
/// ten seconds. SQLite's own busy timeout sleeps ever longer between tries (1, 2, 5, 10, 15, 20, 25 ms, …), so a
/// writer that met a transaction of 35 ms could wake 18 ms after it ended. During a bulk send the outbox, which records
/// each email in its own write, met every one of the runner's batches so (issue 14's benchmark). SQLitePCLRaw does not
/// offer SQLite's busy handler, so it is set here, on the same native library Microsoft.Data.Sqlite uses.
/// </summary>
internal static class SqliteWriterWait
{
    /// <summary>Tries before the writer gives up with SQLITE_BUSY (then "database is locked"): about ten seconds.</summary>
    internal const int MaxTries = 10_000;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyHandler(IntPtr state, int tries);

    // Kept for the process's lifetime: native code calls it for as long as any connection is open.
    private static readonly BusyHandler Handler = (_, tries) => TryAgain(tries) ? 1 : 0;

    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_busy_handler(IntPtr db, BusyHandler handler, IntPtr state);

    public static void Install(SqliteConnection connection)
    {
        var result = sqlite3_busy_handler(connection.Handle!.DangerousGetHandle(), Handler, IntPtr.Zero);
        if (result != 0)
            throw new InvalidOperationException($"SQLite refused the busy handler (error {result}).");
    }

    /// <summary>Whether to try again after <paramref name="tries"/> failed tries (SQLite counts from 0), having waited a millisecond.</summary>
    internal static bool TryAgain(int tries)
    {
        if (tries >= MaxTries)
            return false;
        Thread.Sleep(1);
        return true;
    }
}
