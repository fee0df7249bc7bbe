using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace PortalApp.Data;

/// <summary>
/// How a SQLite connection waits for another connection's write to finish: it tries again every millisecond for the
/// first 50 ms, then every 10 ms, for about ten seconds in all. SQLite's own busy timeout sleeps ever longer between
/// tries (1, 2, 5, 10, 15, 20, 25 ms, …), so a writer that met a transaction of 35 ms could wake 18 ms after it ended.
/// During a bulk send the outbox, which records each email in its own write, met every one of the runner's batches so
/// (issue 14's benchmark). The steps grow after 50 ms so that writers waiting out a long transaction (an import) do not
/// each wake a thousand times a second. SQLitePCLRaw does not offer SQLite's busy handler, so it is set here, on the
/// same native library Microsoft.Data.Sqlite uses.
/// </summary>
internal static class SqliteWriterWait
{
    /// <summary>How long a writer waits in all before it gives up with SQLITE_BUSY (then "database is locked").</summary>
    internal const int MaxWaitMilliseconds = 10_000;

    private const int ShortSteps = 50, LongStepMilliseconds = 10;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyHandler(IntPtr state, int tries);

    // Kept for the process's lifetime: native code calls it for as long as any connection is open.
    private static readonly BusyHandler Handler = (_, tries) =>
    {
        if (Step(tries) is not { } milliseconds)
            return 0;
        Thread.Sleep(milliseconds);
        return 1;
    };

    [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_busy_handler(IntPtr db, BusyHandler handler, IntPtr state);

    public static void Install(SqliteConnection connection)
    {
        var result = sqlite3_busy_handler(connection.Handle!.DangerousGetHandle(), Handler, IntPtr.Zero);
        if (result != 0)
            throw new InvalidOperationException($"SQLite refused the busy handler (error {result}).");
    }

    /// <summary>How long to sleep before the next try, after <paramref name="tries"/> failed ones (SQLite counts from 0); null to give up.</summary>
    internal static int? Step(int tries) =>
        Waited(tries) >= MaxWaitMilliseconds ? null : tries < ShortSteps ? 1 : LongStepMilliseconds;

    /// <summary>About how long the writer has slept after <paramref name="tries"/> tries.</summary>
    internal static long Waited(int tries) =>
        tries <= ShortSteps ? tries : ShortSteps + (long)(tries - ShortSteps) * LongStepMilliseconds;
}
