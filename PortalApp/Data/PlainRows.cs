using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace PortalApp.Data;

/// <summary>
/// Inserts many new rows of one entity with one prepared <c>INSERT … RETURNING</c> command, on the context's open
/// connection and inside its current transaction, without change tracking. For the hot paths that write thousands of
/// rows (a bulk send's outbox emails): SaveChanges spent far longer per row on tracking and command building than the
/// database spent writing it (issue 14's benchmark). Columns, value conversions and parameter types all come from the
/// EF Core model, so the rows are stored exactly as SaveChanges stores them, on SQLite and PostgreSQL alike. Updates
/// of tracked rows likewise (a batch's recipients, an outbox claim): on SQLite every such write holds the one write
/// lock, and the outbox's sends wait for it. On PostgreSQL the statements go a hundred to a round trip.
/// </summary>
public static class PlainRows
{
    private sealed record InsertPlan(string Sql, IReadOnlyList<IProperty> Columns, IProperty Key);

    private static readonly ConcurrentDictionary<(Type Context, Type Entity), InsertPlan> Plans = new();

    /// <summary>Writes <paramref name="rows"/> and sets each one's generated key. The rows stay untracked.</summary>
    /// <exception cref="InvalidOperationException">No transaction is open, or the entity has what a plain insert cannot write.</exception>
    public static async Task InsertAsync<T>(PortalDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
            return;
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("PlainRows.InsertAsync writes inside the caller's transaction; none is open.");
        var plan = Plans.GetOrAdd((db.GetType(), typeof(T)), _ => PlanFor(db.Model, typeof(T)));
        var statements = rows.Select(row => new Statement(plan.Sql, plan.Columns.Select((column, i) => (column, i, (object)row)).ToList())).ToList();
        var results = await RunAsync(transaction, statements, returnsValue: true, ct);
        for (var i = 0; i < rows.Count; i++)
        {
            var key = results[i].Value ?? throw new InvalidOperationException($"No key came back for a new {typeof(T).Name}.");
            plan.Key.PropertyInfo!.SetValue(rows[i], Convert.ChangeType(key, plan.Key.ClrType));
        }
    }

    /// <summary>
    /// Writes the changed columns of each of <paramref name="rows"/> that the context tracks as modified, one prepared
    /// <c>UPDATE … WHERE</c> key per row, and marks them unchanged, so a later SaveChanges writes them no more. A row
    /// whose change waits on a row not yet inserted (a temporary key), or that is added or deleted, is left for SaveChanges.
    /// </summary>
    /// <exception cref="InvalidOperationException">No transaction is open, or the entity has a concurrency token (SaveChanges checks and bumps it).</exception>
    /// <exception cref="DbUpdateConcurrencyException">A row is no longer in the table.</exception>
    public static async Task UpdateAsync<T>(PortalDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
            return;
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("PlainRows.UpdateAsync writes inside the caller's transaction; none is open.");
        if (!CanUpdate<T>(db))
            throw new InvalidOperationException($"{typeof(T).Name} has a concurrency token: save it with SaveChanges, which checks and bumps it.");
        var entity = db.Model.FindEntityType(typeof(T))!;
        db.ChangeTracker.DetectChanges();
        var entries = new List<EntityEntry<T>>();
        var statements = new List<Statement>();
        foreach (var row in rows)
        {
            var entry = db.Entry(row);
            if (entry.State != EntityState.Modified || entry.Properties.Any(p => p.IsTemporary))
                continue;
            var changed = entry.Properties.Where(p => p.IsModified).Select(p => p.Metadata).ToList();
            var plan = UpdatePlans.GetOrAdd((db.GetType(), typeof(T), string.Join(",", changed.Select(p => p.Name))), _ => UpdatePlanFor(entity, changed));
            entries.Add(entry);
            statements.Add(new Statement(plan.Sql, [.. plan.Columns.Select((column, i) => (column, i, (object)row)), (plan.Key, plan.Columns.Count, row)]));
        }
        if ((await RunAsync(transaction, statements, returnsValue: false, ct)).Any(r => r.Affected != 1))
            throw new DbUpdateConcurrencyException($"A {typeof(T).Name} to update is no longer there.");
        foreach (var entry in entries)
        {
            entry.OriginalValues.SetValues(entry.CurrentValues);
            entry.State = EntityState.Unchanged;
        }
    }

    /// <summary>Whether <see cref="UpdateAsync"/> can write this entity: it is in the model and has no concurrency token.</summary>
    public static bool CanUpdate<T>(PortalDbContext db) where T : class =>
        db.Model.FindEntityType(typeof(T)) is { } entity && !entity.GetProperties().Any(p => p.IsConcurrencyToken);

    private sealed record UpdatePlan(string Sql, IReadOnlyList<IProperty> Columns, IProperty Key);

    private static readonly ConcurrentDictionary<(Type Context, Type Entity, string Changed), UpdatePlan> UpdatePlans = new();

    private static UpdatePlan UpdatePlanFor(IEntityType entity, List<IProperty> changed)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()?.Properties is [var single] ? single
            : throw new InvalidOperationException($"{entity.ClrType.Name} needs a single key for a plain update.");
        if (changed.FirstOrDefault(p => p.PropertyInfo is null || p.IsKey() || p.GetComputedColumnSql() is not null) is { } unsupported)
            throw new InvalidOperationException($"{entity.ClrType.Name}.{unsupported.Name} cannot be written by a plain update.");
        var sets = string.Join(", ", changed.Select((p, i) => $"{Quote(p.GetColumnName(table)!)} = @p{i}"));
        return new UpdatePlan($"UPDATE {Quote(table.Name)} SET {sets} WHERE {Quote(key.GetColumnName(table)!)} = @p{changed.Count}", changed, key);
    }

    /// <summary>One row's statement: its SQL and, for each parameter @p{index}, the property whose value it takes from the row.</summary>
    private sealed record Statement(string Sql, IReadOnlyList<(IProperty Property, int Index, object Row)> Values);

    /// <summary>Statements sent to PostgreSQL together, one round trip each (SaveChanges batches likewise).</summary>
    private const int StatementsPerBatch = 100;

    /// <summary>
    /// Runs the statements in order inside <paramref name="transaction"/>, and gives each one's first value (an insert's
    /// key, when <paramref name="returnsValue"/>) or how many rows it changed. Where the provider has batches
    /// (PostgreSQL), a hundred go in one round trip: one at a time, a bulk send's 30,000 statements took most of its
    /// runner's time. SQLite, in the process and without batches, runs them one after another on a command per
    /// statement text, which keeps each statement prepared.
    /// </summary>
    private static async Task<List<(object? Value, int Affected)>> RunAsync(DbTransaction transaction, IReadOnlyList<Statement> statements,
        bool returnsValue, CancellationToken ct)
    {
        var connection = transaction.Connection!;
        var results = new List<(object? Value, int Affected)>(statements.Count);
        if (connection.CanCreateBatch)
        {
            await using var factory = connection.CreateCommand(); // EF's type mappings make their parameters from a command
            foreach (var chunk in statements.Chunk(StatementsPerBatch))
            {
                await using var batch = connection.CreateBatch();
                batch.Transaction = transaction;
                foreach (var statement in chunk)
                {
                    var command = batch.CreateBatchCommand();
                    command.CommandText = statement.Sql;
                    foreach (var (property, index, row) in statement.Values)
                        command.Parameters.Add(Parameter(factory, property, index, row));
                    batch.BatchCommands.Add(command);
                }
                if (!returnsValue)
                {
                    await batch.ExecuteNonQueryAsync(ct);
                    results.AddRange(batch.BatchCommands.Select(c => ((object?)null, c.RecordsAffected)));
                    continue;
                }
                await using var reader = await batch.ExecuteReaderAsync(ct);
                foreach (var _ in chunk)
                {
                    results.Add((await reader.ReadAsync(ct) ? reader.GetValue(0) : null, 1));
                    await reader.NextResultAsync(ct);
                }
            }
            return results;
        }
        var commands = new Dictionary<string, DbCommand>();
        try
        {
            foreach (var statement in statements)
            {
                if (!commands.TryGetValue(statement.Sql, out var command))
                {
                    command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = statement.Sql;
                    commands.Add(statement.Sql, command);
                }
                command.Parameters.Clear();
                foreach (var (property, index, row) in statement.Values)
                    command.Parameters.Add(Parameter(command, property, index, row));
                results.Add(returnsValue ? (await command.ExecuteScalarAsync(ct), 1) : (null, await command.ExecuteNonQueryAsync(ct)));
            }
        }
        finally
        {
            foreach (var command in commands.Values)
                await command.DisposeAsync();
        }
        return results;
    }

    private static DbParameter Parameter(DbCommand command, IProperty property, int index, object row)
    {
        // The mapping applies the property's value converter (enums as text, times as UTC) as SaveChanges does. The name
        // carries the SQL's "@": SQLite finds a parameter by its full name, and tries each prefix in turn for a bare one.
        var mapping = (RelationalTypeMapping)property.GetTypeMapping();
        return mapping.CreateParameter(command, $"@p{index}", property.PropertyInfo!.GetValue(row), property.IsNullable);
    }

    private static InsertPlan PlanFor(IModel model, Type clrType)
    {
        var entity = model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var key = entity.FindPrimaryKey()?.Properties is [{ ValueGenerated: ValueGenerated.OnAdd } single] ? single
            : throw new InvalidOperationException($"{clrType.Name} needs a single generated key for a plain insert.");
        var columns = entity.GetProperties().Where(p => p != key).ToList();
        if (columns.FirstOrDefault(p => p.PropertyInfo is null || p.GetComputedColumnSql() is not null
            || p.FindAnnotation(RelationalAnnotationNames.DefaultValue) is not null || p.GetDefaultValueSql() is not null) is { } unsupported)
            throw new InvalidOperationException($"{clrType.Name}.{unsupported.Name} cannot be written by a plain insert.");
        var names = string.Join(", ", columns.Select(p => Quote(p.GetColumnName(table)!)));
        var values = string.Join(", ", columns.Select((_, i) => $"@p{i}"));
        var sql = $"INSERT INTO {Quote(table.Name)} ({names}) VALUES ({values}) RETURNING {Quote(key.GetColumnName(table)!)}";
        return new InsertPlan(sql, columns, key);
    }

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"")}\"";
}
