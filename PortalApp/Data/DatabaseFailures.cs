using Microsoft.Data.Sqlite;
using Npgsql;

namespace PortalApp.Data;

/// <summary>
/// Recognises the database failures a clinic can meet in production, on either provider, to answer them with one
/// clear message instead of an error page.
/// </summary>
public static class DatabaseFailures
{
    public const string Message = "The server could not save this: its disk is full or the database is busy. Nothing was saved; your entries are still here. Try again in a moment, and tell your IT person if it keeps happening.";

    public static bool IsStorageProblem(Exception ex) => Find<SqliteException>(ex) is { SqliteErrorCode: 13 or 5 or 6 or 10 } // SQLITE_FULL, BUSY, LOCKED, IOERR
        || Find<PostgresException>(ex) is { SqlState: var state } && IsPostgresStorageState(state)
        || Find<NpgsqlException>(ex) is { IsTransient: true } npgsql && npgsql is not PostgresException; // the server cannot be reached

    /// <summary>A unique index refused the row (two people did the same thing at once, or a duplicate value).</summary>
    public static bool IsUniqueViolation(Exception ex) =>
        Find<SqliteException>(ex) is { SqliteErrorCode: 19 } // SQLITE_CONSTRAINT
        || Find<PostgresException>(ex) is { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>PostgreSQL gave up one of two conflicting transactions; running it again is safe.</summary>
    public static bool IsSerializationConflict(Exception ex) =>
        Find<PostgresException>(ex) is { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    // Class 53 (insufficient resources: disk full, out of memory, too many connections), 57P03 (cannot connect now),
    // class 08 (connection lost), lock timeouts and conflicts that are worth another try.
    private static bool IsPostgresStorageState(string state) =>
        state.StartsWith("53", StringComparison.Ordinal) || state.StartsWith("08", StringComparison.Ordinal)
        || state is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.LockNotAvailable
            or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.QueryCanceled;

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (var depth = 0; ex is not null && depth < 8; ex = ex.InnerException, depth++)
        {
            if (ex is T found)
                return found;
        }
        return null;
    }
}
