using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Data;

/// <summary>The plain inserts and updates (the bulk runner, the outbox's claims) store every column exactly as SaveChanges does, and only with the transaction.</summary>
[Trait("Providers", "Both")]
public sealed class PlainRowsTests : IAsyncLifetime
{
    private static readonly DateTime Created = new DateTime(2026, 3, 1, 14, 5, 6, 789, DateTimeKind.Utc).AddTicks(1230); // whole microseconds: PostgreSQL keeps no more
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static OutboxEmail Email(string messageId) => new()
    {
        ToAddress = "emile.obrien@example.com", ToName = "Émile O'Brien \"Junior\"", Subject = "Nos heures · 7:30", HtmlBody = "<p>Bonjour é 😀</p>",
        TextBody = "Bonjour\r\nLigne 2", Kind = "bulk-message", Status = OutboxStatus.Pending, CreatedAtUtc = Created, NextAttemptAtUtc = Created.AddMinutes(1),
        MessageId = messageId, ProtectedSecret = "CfDJ8-secret", ListUnsubscribeUrl = "https://portal.clinic.example/unsubscribe/PORTALAPP-SECRET-TOKEN",
    };

    private static OutboundMessage Logged(long outboxEmailId) => new()
    {
        Channel = MessageChannel.Email, Recipient = "emile.obrien@example.com", RecipientName = "Émile", Language = ClientLanguage.French,
        Kind = "bulk-message", Subject = "Nos heures", Body = "Bonjour", Status = OutboundMessageStatus.Queued, CreatedAtUtc = Created,
        NextAttemptAtUtc = Created, OutboxEmailId = outboxEmailId,
    };

    [Fact]
    public async Task A_plain_insert_stores_each_column_as_save_changes_does_and_sets_the_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var (byEf, plain) = (Email("ef@clinic.example"), Email("plain@clinic.example"));
        await using (var db = await _host.DbAsync())
        {
            db.OutboxEmails.Add(byEf);
            await db.SaveChangesAsync(ct);
            db.OutboundMessages.Add(Logged(byEf.Id));
            await db.SaveChangesAsync(ct);
        }
        OutboundMessage plainLogged;
        await using (var db = await _host.DbAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await PlainRows.InsertAsync(db, [plain], ct);
            plainLogged = Logged(plain.Id);
            await PlainRows.InsertAsync(db, [plainLogged], ct);
            await tx.CommitAsync(ct);
        }

        Assert.True(plain.Id > byEf.Id);
        Assert.True(plainLogged.Id > 0);
        await using var read = await _host.DbAsync();
        var emails = await ColumnsAsync(read, "OutboxEmails", byEf.Id, plain.Id);
        Assert.Equal("ef@clinic.example", emails[0]["MessageId"]);
        Assert.Equal("plain@clinic.example", emails[1]["MessageId"]);
        Assert.Equal(Without(emails[0], "Id", "MessageId"), Without(emails[1], "Id", "MessageId"));
        var logged = await ColumnsAsync(read, "OutboundMessages", byEf.Id, plain.Id, "OutboxEmailId");
        Assert.Equal(Without(logged[0], "Id", "OutboxEmailId"), Without(logged[1], "Id", "OutboxEmailId"));
        // And EF reads the plain rows back as it wrote its own.
        var readBack = await read.OutboxEmails.AsNoTracking().SingleAsync(e => e.Id == plain.Id, ct);
        Assert.Equal((Created, "Émile O'Brien \"Junior\"", "<p>Bonjour é 😀</p>"), (readBack.CreatedAtUtc, readBack.ToName, readBack.HtmlBody));
        Assert.Equal(DateTimeKind.Utc, readBack.CreatedAtUtc.Kind);
        var loggedBack = await read.OutboundMessages.AsNoTracking().SingleAsync(m => m.Id == plainLogged.Id, ct);
        Assert.Equal((plain.Id, ClientLanguage.French, MessageChannel.Email), (loggedBack.OutboxEmailId, loggedBack.Language, loggedBack.Channel));
    }

    [Fact]
    public async Task Many_rows_each_get_their_own_key_across_several_round_trips_and_update_alike()
    {
        var ct = TestContext.Current.CancellationToken;
        var rows = Enumerable.Range(0, 250).Select(i => Email($"m{i}@clinic.example")).ToList(); // more than one batch of 100
        await using (var db = await _host.DbAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await PlainRows.InsertAsync(db, rows, ct);
            await tx.CommitAsync(ct);
        }
        await using (var db = await _host.DbAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var tracked = await db.OutboxEmails.OrderBy(e => e.Id).ToListAsync(ct);
            foreach (var row in tracked)
                row.ClaimedBy = $"for {row.MessageId}";
            await PlainRows.UpdateAsync(db, tracked, ct);
            await tx.CommitAsync(ct);
        }

        await using var read = await _host.DbAsync();
        var stored = await read.OutboxEmails.AsNoTracking().ToDictionaryAsync(e => e.Id, ct);
        Assert.Equal(250, stored.Count);
        Assert.All(rows, row => Assert.Equal((row.MessageId, $"for {row.MessageId}"), (stored[row.Id].MessageId, stored[row.Id].ClaimedBy)));
    }

    [Fact]
    public async Task Rows_inserted_in_a_transaction_that_rolls_back_are_gone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = await _host.DbAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await PlainRows.InsertAsync(db, [Email("a@clinic.example"), Email("b@clinic.example")], ct);
            await tx.RollbackAsync(ct);
        }

        await using var read = await _host.DbAsync();
        Assert.Equal(0, await read.OutboxEmails.CountAsync(ct));
    }

    [Fact]
    public async Task Without_a_transaction_nothing_is_written_and_the_caller_is_told()
    {
        await using var db = await _host.DbAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PlainRows.InsertAsync(db, [Email("a@clinic.example")], TestContext.Current.CancellationToken));

        Assert.Contains("none is open", error.Message);
        Assert.Equal(0, await db.OutboxEmails.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_plain_update_stores_the_changed_columns_as_save_changes_does_and_leaves_nothing_to_save()
    {
        var ct = TestContext.Current.CancellationToken;
        var (byEf, plain) = (Email("ef@clinic.example"), Email("plain@clinic.example"));
        await using (var db = await _host.DbAsync())
        {
            db.OutboxEmails.AddRange(byEf, plain);
            await db.SaveChangesAsync(ct);
        }
        static void Change(OutboxEmail row)
        {
            row.Status = OutboxStatus.Sent;
            row.ClaimedBy = "instance «b»";
            row.LeaseExpiresAtUtc = Created.AddMinutes(5);
            row.ProtectedSecret = null;
            row.Attempts = 2;
        }
        await using (var db = await _host.DbAsync())
        {
            var row = await db.OutboxEmails.SingleAsync(e => e.Id == byEf.Id, ct);
            Change(row);
            await db.SaveChangesAsync(ct);
        }
        await using (var db = await _host.DbAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var row = await db.OutboxEmails.SingleAsync(e => e.Id == plain.Id, ct);
            Change(row);
            await PlainRows.UpdateAsync(db, [row], ct);
            Assert.Equal(EntityState.Unchanged, db.Entry(row).State);
            Assert.Equal(0, await db.SaveChangesAsync(ct));
            await tx.CommitAsync(ct);
        }

        await using var read = await _host.DbAsync();
        var emails = await ColumnsAsync(read, "OutboxEmails", byEf.Id, plain.Id);
        Assert.Equal(("Sent", "instance «b»"), (emails[1]["Status"], emails[1]["ClaimedBy"]));
        Assert.Equal(Without(emails[0], "Id", "MessageId"), Without(emails[1], "Id", "MessageId"));
    }

    [Fact]
    public async Task A_plain_update_rolled_back_or_without_a_transaction_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await SaveAsync(Email("a@clinic.example"));
        await using (var db = await _host.DbAsync())
        {
            var row = await db.OutboxEmails.SingleAsync(ct);
            row.ClaimedBy = "rolled back";
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await PlainRows.UpdateAsync(db, [row], ct);
                await tx.RollbackAsync(ct);
            }
            row.ClaimedBy = "no transaction";
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PlainRows.UpdateAsync(db, [row], ct));
            Assert.Contains("none is open", error.Message);
        }

        await using var read = await _host.DbAsync();
        Assert.Null((await read.OutboxEmails.AsNoTracking().SingleAsync(ct)).ClaimedBy);
    }

    [Fact]
    public async Task A_row_with_a_concurrency_token_is_refused_and_a_row_gone_is_a_concurrency_error()
    {
        var ct = TestContext.Current.CancellationToken;
        var email = Email("a@clinic.example");
        await SaveAsync(email);
        await SaveAsync(Logged(email.Id));
        await using var work = await _host.DbAsync();
        Assert.False(PlainRows.CanUpdate<OutboundMessage>(work));
        Assert.True(PlainRows.CanUpdate<OutboxEmail>(work));
        await using var tx = await work.Database.BeginTransactionAsync(ct);
        var logged = await work.OutboundMessages.SingleAsync(ct);
        logged.Subject = "Changed";
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PlainRows.UpdateAsync(work, [logged], ct));
        Assert.Contains("concurrency token", refused.Message);

        var row = await work.OutboxEmails.SingleAsync(ct);
        await work.Database.ExecuteSqlRawAsync("DELETE FROM \"OutboundMessages\"; DELETE FROM \"OutboxEmails\"", ct);
        row.ClaimedBy = "too late";
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => PlainRows.UpdateAsync(work, [row], ct));
    }

    private async Task SaveAsync(object row)
    {
        await using var db = await _host.DbAsync();
        db.Add(row);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Each row's columns as the database gives them back, by name, ordered by <paramref name="keyColumn"/>.</summary>
    private static async Task<List<Dictionary<string, object?>>> ColumnsAsync(PortalDbContext db, string table, long first, long second, string keyColumn = "Id")
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"{keyColumn}\" IN ({first}, {second}) ORDER BY \"{keyColumn}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        Assert.Equal(2, rows.Count);
        return rows;
    }

    private static SortedDictionary<string, object?> Without(Dictionary<string, object?> row, params string[] columns) =>
        new(row.Where(c => !columns.Contains(c.Key)).ToDictionary());
}
