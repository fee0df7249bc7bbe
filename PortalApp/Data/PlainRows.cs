using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace PortalApp.Data;

/// <summary>
/// Inserts many new rows of one entity with one prepared <c>INSERT … RETURNING</c> command, on the context's open
/// connection and inside its current transaction, without change tracking. For the hot paths that write thousands of
/// rows (a bulk send's outbox emails): SaveChanges spent far longer per row on tracking and command building than the
/// database spent writing it (issue 14's benchmark). Columns, value conversions and parameter types all come from the
/// EF Core model, so the rows are stored exactly as SaveChanges stores them, on SQLite and PostgreSQL alike.
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
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = plan.Sql;
        foreach (var row in rows)
        {
            command.Parameters.Clear();
            for (var i = 0; i < plan.Columns.Count; i++)
                command.Parameters.Add(Parameter(command, plan.Columns[i], i, row));
            var key = await command.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException($"No key came back for a new {typeof(T).Name}.");
            plan.Key.PropertyInfo!.SetValue(row, Convert.ChangeType(key, plan.Key.ClrType));
        }
    }

    private static DbParameter Parameter(DbCommand command, IProperty property, int index, object row)
    {
        // The mapping applies the property's value converter (enums as text, times as UTC) as SaveChanges does.
        var mapping = (RelationalTypeMapping)property.GetTypeMapping();
        return mapping.CreateParameter(command, $"p{index}", property.PropertyInfo!.GetValue(row), property.IsNullable);
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
