using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace PortalApp.Data;

/// <summary>
/// The one provider-specific step of every check-then-write (one pending invite per patient, one booking per slot,
/// one registration per link): a transaction in which a second writer of the same records waits until the first
/// commits, and then sees what it wrote.
/// <list type="bullet">
/// <item>SQLite: Microsoft.Data.Sqlite begins every transaction with BEGIN IMMEDIATE, the database's write lock, so
/// writers queue whatever they touch.</item>
/// <item>PostgreSQL: the transaction locks the named rows (<c>SELECT … FOR NO KEY UPDATE</c>, in key order so two
/// transactions cannot deadlock). Writers of other records go on in parallel. NO KEY: inserting a row that refers to
/// the locked one (an invite for the client) is not blocked.</item>
/// </list>
/// </summary>
public static class WriteLock
{
    /// <summary>Holds the rows of <typeparamref name="TEntity"/> with these keys (rows that do not exist lock nothing).</summary>
    public static async Task<IDbContextTransaction> BeginAsync<TEntity>(PortalDbContext db, IEnumerable<object> keys, CancellationToken ct)
        where TEntity : class
    {
        var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await HoldAsync<TEntity>(db, keys, ct);
            return tx;
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds rows to the transaction already open on <paramref name="db"/> (lock in one order everywhere: clinic, then records).</summary>
    public static async Task HoldAsync<TEntity>(PortalDbContext db, IEnumerable<object> keys, CancellationToken ct) where TEntity : class
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("WriteLock.HoldAsync needs an open transaction.");
        if (!db.IsPostgreSql)
            return;
        var entity = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException($"{typeof(TEntity).Name} is not in the model.");
        var key = entity.FindPrimaryKey()!.Properties.Single().GetColumnName();
        var sql = $"SELECT 1 FROM \"{entity.GetTableName()}\" WHERE \"{key}\" = {{0}} FOR NO KEY UPDATE";
        foreach (var id in keys.Distinct().Order())
            await db.Database.ExecuteSqlRawAsync(sql, [id], ct);
    }

    public static Task<IDbContextTransaction> BeginAsync<TEntity>(PortalDbContext db, object key, CancellationToken ct) where TEntity : class =>
        BeginAsync<TEntity>(db, [key], ct);

    /// <summary>
    /// For rules over the whole clinic rather than one record (the last admin, duplicate cards, the default template,
    /// an import): holds the clinic's settings row, which every such writer locks first.
    /// </summary>
    public static Task<IDbContextTransaction> BeginClinicWideAsync(PortalDbContext db, CancellationToken ct) =>
        BeginAsync<ClinicSettings>(db, [ClinicSettings.SingletonId], ct);
}
