using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PortalApp.Infrastructure.MigrateToPostgres;

/// <summary>A table's row count and checksum, as read from one side.</summary>
public sealed record TableFigures(long Rows, string Checksum);

/// <summary>
/// Copies one table from the SQLite read transaction into the PostgreSQL transaction, row by row (SQLite's reader
/// streams, PostgreSQL's binary COPY sends in 8 KB buffers: memory stays flat whatever the table's size), and reads
/// figures from either side in primary-key order.
/// </summary>
public static class TableCopy
{
    /// <summary>
    /// Copies <paramref name="rows"/> into <paramref name="table"/> and returns the figures of what was sent. One COPY
    /// is one statement, and PostgreSQL checks a foreign key at the end of the statement: a merged card may point at
    /// a card further down the same table.
    /// </summary>
    public static async Task<TableFigures> CopyAsync(CopyTable table, IAsyncEnumerable<object?[]> rows, NpgsqlConnection target, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        await using (var importer = await target.BeginBinaryImportAsync($"COPY {CopyTable.Quote(table.Name)} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", ct))
        {
            await foreach (var row in rows.WithCancellation(ct))
            {
                await importer.StartRowAsync(ct);
                for (var i = 0; i < row.Length; i++)
                {
                    ColumnValues.Hash(hash, row[i], table.Columns[i].Kind);
                    await ColumnValues.WriteAsync(importer, row[i], table.Columns[i].Kind, ct);
                }
                count++;
            }
            await importer.CompleteAsync(ct);
        }
        return new TableFigures(count, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The table's rows in primary-key order, each value as <see cref="ColumnValues"/> normalises it.</summary>
    public static async IAsyncEnumerable<object?[]> ReadAsync(CopyTable table, System.Data.Common.DbConnection connection, string? filter = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var command = connection.CreateCommand();
        // Text keys in byte order on both sides: SQLite compares them as bytes, PostgreSQL by the database's locale unless told.
        var collate = connection is NpgsqlConnection ? " COLLATE \"C\"" : "";
        var order = string.Join(", ", table.Key.Select(k => CopyTable.Quote(k.Name) + (k.Kind == ColumnKind.Text ? collate : "")));
        command.CommandText = $"SELECT {table.ColumnList} FROM {CopyTable.Quote(table.Name)}" + (filter is null ? "" : $" WHERE {filter}") + $" ORDER BY {order}";
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[table.Columns.Count];
            for (var i = 0; i < row.Length; i++)
                row[i] = ColumnValues.Read(reader, i, table.Columns[i].Kind);
            yield return row;
        }
    }

    /// <summary>The figures of what the target holds now, computed exactly as <see cref="CopyAsync"/> computed the source's.</summary>
    public static async Task<TableFigures> FiguresAsync(CopyTable table, NpgsqlConnection target, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        await foreach (var row in ReadAsync(table, target, ct: ct))
        {
            for (var i = 0; i < row.Length; i++)
                ColumnValues.Hash(hash, row[i], table.Columns[i].Kind);
            count++;
        }
        return new TableFigures(count, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
