using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Email;

/// <summary>The dispatcher against a real SMTP server through the app's MailKit transport.</summary>
[Trait("Providers", "Both")]
public sealed class OutboxDispatcherSmtpTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private SmtpTestServer _smtp = null!;
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        _host = await ServiceTestHost.StartAsync(OutboxTestData.SmtpSettings(_smtp.Port));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task A_queued_email_is_delivered_with_its_subject_recipient_and_both_parts_and_marked_sent()
    {
        var id = await _host.EnqueueAsync("emma.smith@example.com", "Your patient portal invitation");

        Assert.Equal(1, await _host.DispatchAsync());

        var received = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        var message = received.Message;
        Assert.Equal(["emma.smith@example.com"], received.EnvelopeTo);
        Assert.Equal("Your patient portal invitation", message.Subject);
        Assert.Equal("emma.smith@example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("portal@clinic.example", Assert.Single(message.From.Mailboxes).Address);
        Assert.Contains($"href=\"{OutboxTestData.Link}\"", message.HtmlBody);
        Assert.Contains("Open your portal.", message.TextBody);

        var row = await _host.OutboxRowAsync(id);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(_host.UtcNow(), row.SentAtUtc);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.LastError);
        Assert.Equal(row.MessageId, message.MessageId);
    }

    [Fact]
    public async Task A_sent_email_is_not_sent_again()
    {
        await _host.EnqueueAsync();
        await _host.DispatchAsync();
        _host.Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(0, await _host.DispatchAsync());
        Assert.Single(_smtp.Received);
        Assert.Equal(1, _smtp.SessionCount);
    }

    [Fact]
    public async Task A_batch_of_due_emails_goes_out_over_one_smtp_connection()
    {
        var addresses = Enumerable.Range(1, 5).Select(i => $"patient{i}@example.com").ToArray();
        foreach (var address in addresses)
            await _host.EnqueueAsync(address);

        Assert.Equal(5, await _host.DispatchAsync());

        var received = await _smtp.WaitForMessagesAsync(5);
        Assert.Equal(addresses, received.SelectMany(r => r.EnvelopeTo));
        Assert.Single(received.Select(r => r.SessionId).Distinct());
        Assert.Equal(1, _smtp.SessionCount);
    }

    [Fact]
    public async Task Batch_after_batch_shares_one_connection_up_to_the_messages_per_connection_cap()
    {
        await using var host = await ServiceTestHost.StartAsync(new Dictionary<string, string?>(OutboxTestData.SmtpSettings(_smtp.Port))
        {
            ["Outbox:BatchSize"] = "2",
            ["Outbox:MessagesPerConnection"] = "4",
        });
        var addresses = Enumerable.Range(1, 7).Select(i => $"patient{i}@example.com").ToArray();
        foreach (var address in addresses)
            await host.EnqueueAsync(address);

        // Two batches of 2 over the first connection (a third would pass the cap of 4), then the last 3 over a second.
        Assert.Equal(4, await host.DispatchAsync());
        Assert.Equal(3, await host.DispatchAsync());
        Assert.Equal(0, await host.DispatchAsync());

        var received = await _smtp.WaitForMessagesAsync(7);
        Assert.Equal(addresses, received.SelectMany(r => r.EnvelopeTo));
        Assert.Equal([4, 3], received.GroupBy(r => r.SessionId).Select(g => g.Count()));
        Assert.Equal(2, _smtp.SessionCount);
    }

    [Fact]
    public async Task A_recipient_refused_with_550_fails_for_good_while_the_rest_of_the_batch_is_sent()
    {
        var first = await _host.EnqueueAsync("amy@example.com");
        var refused = await _host.EnqueueAsync("reject.me@example.com");
        var last = await _host.EnqueueAsync("ben@example.com");

        Assert.Equal(3, await _host.DispatchAsync());

        var failed = await _host.OutboxRowAsync(refused);
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.StartsWith("550", failed.LastError);
        Assert.Contains("mailbox unavailable", failed.LastError);
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(first)).Status);
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(last)).Status);
        Assert.Equal(["amy@example.com", "ben@example.com"], _smtp.Received.SelectMany(r => r.EnvelopeTo));
        Assert.Equal(1, _smtp.SessionCount);

        _host.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await _host.DispatchAsync());
    }

    // An email's sent record is written while the next email starts (its envelope, its headers), but the server is not
    // handed the next email whole until that record is committed: at any moment at most one email is with the server
    // and not recorded, so a crash repeats at most one.

    [Fact]
    public async Task The_next_email_starts_while_the_last_is_recorded_and_reaches_the_server_only_after_that_record()
    {
        var first = await _host.EnqueueAsync("amy@example.com");
        await _host.EnqueueAsync("ben@example.com");
        await using var holder = await _host.DbAsync();
        IDbContextTransaction? held = null;
        var benOffered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = false;
        bool? benCameWhileHeld = null;
        _smtp.RecipientOffered = address =>
        {
            if (address == "ben@example.com")
                benOffered.TrySetResult();
        };
        _smtp.BeforeAccept = async message =>
        {
            if (message.To.Mailboxes.Single().Address == "amy@example.com")
                held = await HoldFirstRowAsync(holder, first); // taken before the server answers: amy's record must wait
            else
                benCameWhileHeld = !Volatile.Read(ref released);
            return true;
        };

        var dispatching = _host.DispatchAsync();
        await benOffered.Task.WaitAsync(Wait, TestContext.Current.CancellationToken);

        // Ben's envelope went out while amy's record waited; ben's message cannot be whole at the server yet.
        Assert.Equal(OutboxStatus.Pending, (await _host.OutboxRowAsync(first)).Status);
        Assert.False(dispatching.IsCompleted);
        Assert.Equal(["amy@example.com"], _smtp.Received.SelectMany(r => r.EnvelopeTo));

        Volatile.Write(ref released, true);
        await held!.RollbackAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, await dispatching.WaitAsync(Wait, TestContext.Current.CancellationToken));
        Assert.False(benCameWhileHeld);
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(first)).Status);
        Assert.Equal(["amy@example.com", "ben@example.com"], _smtp.Received.SelectMany(r => r.EnvelopeTo));
    }

    /// <summary>SQLite: the write lock (BEGIN IMMEDIATE). PostgreSQL: the row's lock.</summary>
    private async Task<IDbContextTransaction> HoldFirstRowAsync(PortalDbContext holder, long id)
    {
        var transaction = await holder.Database.BeginTransactionAsync();
        if (_host.Provider == DatabaseProvider.PostgreSql)
            await holder.Database.ExecuteSqlRawAsync("SELECT 1 FROM \"OutboxEmails\" WHERE \"Id\" = {0} FOR UPDATE", [id]);
        return transaction;
    }

    // Without the hold, the next email would arrive here every time: nothing else would stop it.
    [Fact]
    public async Task A_failed_record_stops_the_batch_before_the_next_email_is_handed_over_and_only_the_unrecorded_one_goes_again()
    {
        var amy = await _host.EnqueueAsync("amy@example.com");
        var ben = await _host.EnqueueAsync("ben@example.com");
        _smtp.BeforeAccept = async message =>
        {
            if (message.To.Mailboxes.Single().Address == "amy@example.com" && _smtp.Received.Count == 0)
                await RecordsFailAsync(true);
            return true;
        };

        var failure = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _host.DispatchAsync());

        Assert.Contains("no room to record", failure.Message);
        Assert.Equal(["amy@example.com"], _smtp.Received.SelectMany(r => r.EnvelopeTo));
        Assert.Equal(OutboxStatus.Pending, (await _host.OutboxRowAsync(amy)).Status);
        Assert.Equal(OutboxStatus.Pending, (await _host.OutboxRowAsync(ben)).Status);

        // Once the database takes writes again and the claim's lease has run out, amy (unrecorded) goes again, with
        // the same Message-ID, and ben once.
        await RecordsFailAsync(false);
        _host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, await _host.DispatchAsync());
        var received = await _smtp.WaitForMessagesAsync(3);
        Assert.Equal(["amy@example.com", "amy@example.com", "ben@example.com"], received.SelectMany(r => r.EnvelopeTo));
        Assert.Equal(received[0].Message.MessageId, received[1].Message.MessageId);
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(amy)).Status);
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(ben)).Status);
    }

    /// <summary>A trigger that refuses any email's sent record, as a full disk or a failing database would.</summary>
    private async Task RecordsFailAsync(bool fail)
    {
        await using var db = await _host.DbAsync();
        var sql = (_host.Provider, fail) switch
        {
            (DatabaseProvider.Sqlite, true) =>
                "CREATE TRIGGER records_fail BEFORE UPDATE OF \"SentAtUtc\" ON \"OutboxEmails\" BEGIN SELECT RAISE(ABORT, 'no room to record'); END",
            (DatabaseProvider.Sqlite, false) => "DROP TRIGGER records_fail",
            (_, true) => """
                CREATE FUNCTION records_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no room to record'; END $$;
                CREATE TRIGGER records_fail BEFORE UPDATE OF "SentAtUtc" ON "OutboxEmails" FOR EACH ROW EXECUTE FUNCTION records_fail();
                """,
            (_, false) => "DROP TRIGGER records_fail ON \"OutboxEmails\"",
        };
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}
