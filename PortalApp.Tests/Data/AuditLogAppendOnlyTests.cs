using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Data;

/// <summary>The database itself refuses to change or remove an audit row, whoever asks: the app through EF, or SQL by hand.</summary>
[Trait("Providers", "Both")]
public sealed class AuditLogAppendOnlyTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private long _eventId;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        await using var db = await _host.DbAsync();
        var entry = _host.Get<AuditLog>().Add(db, Staff.FrontDesk, AuditActions.ClientEdit, 7, AuditOutcome.Succeeded, "Changed: email");
        await db.SaveChangesAsync();
        _eventId = entry.Id;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Ef_cannot_change_an_audit_event()
    {
        await using var db = await _host.DbAsync();
        var entry = await db.AuditEvents.SingleAsync(a => a.Id == _eventId);
        entry.Details = "Changed: nothing";

        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.Contains("append-only", ex.InnerException!.Message);
        Assert.Equal("Changed: email", await DetailsAsync());
    }

    [Fact]
    public async Task Ef_cannot_delete_an_audit_event()
    {
        await using var db = await _host.DbAsync();
        db.AuditEvents.Remove(await db.AuditEvents.SingleAsync(a => a.Id == _eventId));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        await Assert.ThrowsAnyAsync<DbException>(() => db.AuditEvents.ExecuteDeleteAsync());
        await Assert.ThrowsAnyAsync<DbException>(() => db.AuditEvents.ExecuteUpdateAsync(s => s.SetProperty(a => a.Details, "gone")));

        Assert.Equal("Changed: email", await DetailsAsync());
    }

    [Theory]
    [InlineData("UPDATE \"AuditEvents\" SET \"StaffDisplayName\" = 'Someone else'")]
    [InlineData("UPDATE \"AuditEvents\" SET \"Outcome\" = 'Refused' WHERE \"Id\" = 1")]
    [InlineData("DELETE FROM \"AuditEvents\"")]
    [InlineData("DELETE FROM \"AuditEvents\" WHERE \"Id\" = 1")]
    public async Task Sql_by_hand_cannot_change_or_delete_an_audit_event(string sql)
    {
        // A plain connection, as sqlite3 or psql on the server would open the database: no EF, no app.
        await using var db = await _host.DbAsync();
        await using DbConnection connection = db.IsPostgreSql
            ? new NpgsqlConnection(db.Database.GetConnectionString())
            : new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;

        var ex = await Assert.ThrowsAnyAsync<DbException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("append-only", ex.Message);
        Assert.Equal("Changed: email", await DetailsAsync());
    }

    [Fact]
    public async Task Emptying_the_table_by_hand_is_refused_on_PostgreSQL_too()
    {
        await using var db = await _host.DbAsync();
        var sql = db.IsPostgreSql ? "TRUNCATE \"AuditEvents\"" : "DELETE FROM \"AuditEvents\""; // SQLite has no TRUNCATE

        var ex = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync(sql));

        Assert.Contains("append-only", ex.Message);
        Assert.Equal("Changed: email", await DetailsAsync());
    }

    [Fact]
    public async Task New_audit_events_are_still_added()
    {
        await using (var db = await _host.DbAsync())
        {
            _host.Get<AuditLog>().Add(db, Staff.Admin, AuditActions.ClinicSettingsEdit, null, AuditOutcome.Succeeded, new string('x', 600));
            await db.SaveChangesAsync();
        }

        await using var check = await _host.DbAsync();
        Assert.Equal(2, await check.AuditEvents.CountAsync());
        Assert.Equal(500, (await check.AuditEvents.SingleAsync(a => a.Action == AuditActions.ClinicSettingsEdit)).Details!.Length);
    }

    private async Task<string?> DetailsAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.AuditEvents.Where(a => a.Id == _eventId).Select(a => a.Details).SingleAsync();
    }
}
