using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PortalApp.Data;
using PortalApp.Infrastructure;

namespace PortalApp.Email;

/// <summary>
/// Sends due outbox rows. A row is marked sent only after the server accepted it, so a crash mid-send leaves it
/// pending and it is sent again (at-least-once; the stable Message-ID lets a receiver drop the duplicate).
/// </summary>
public sealed class OutboxDispatcher(
    IDbContextFactory<PortalDbContext> dbFactory,
    IEmailTransport transport,
    OutboxMessageBuilder messages,
    IOptions<OutboxOptions> options,
    IOptions<EmailOptions> emailOptions,
    InstanceIdentity instance,
    TimeProvider time,
    OutboxEvents events,
    OutboxHeartbeat heartbeat,
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>
    /// Claims a batch of due rows for this instance (<see cref="WorkClaim"/>: another instance dispatching at the same
    /// time gets other rows) and sends them over one connection. While more are due, it claims the next batch and goes
    /// on over the same connection, up to <see cref="OutboxOptions.MessagesPerConnection"/>: a bulk send
    /// of 10,000 spent a third of its SMTP time connecting and saying goodbye once per batch (issue 14's benchmark).
    /// </summary>
    /// <returns>How many rows were attempted.</returns>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            var due = await ClaimAsync(db, ct);
            if (due.Count == 0)
                return 0;

            IEmailSession session;
            try
            {
                session = await transport.OpenAsync(ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("Email transport unavailable ({ErrorType}); {Count} emails stay pending", ex.GetType().Name, due.Count);
                foreach (var row in due)
                    RecordTransientFailure(row, Describe(ex));
                await db.SaveChangesAsync(CancellationToken.None);
                foreach (var row in due)
                    events.Publish(new OutboxEmailChanged(row.Id, row.ClientId, row.Status));
                return due.Count;
            }

            var attempted = 0;
            await using (session)
            {
                while (true)
                {
                    var (tried, goOn) = await SendClaimedAsync(db, session, due, ct);
                    attempted += tried;
                    if (!goOn || attempted + settings.BatchSize > settings.MessagesPerConnection)
                        break;
                    await db.DisposeAsync();
                    db = await dbFactory.CreateDbContextAsync(ct);
                    due = await ClaimAsync(db, ct);
                    if (due.Count == 0)
                        break;
                }
            }
            return attempted;
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    private Task<List<OutboxEmail>> ClaimAsync(PortalDbContext db, CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        return WorkClaim.ClaimAsync(db,
            db.OutboxEmails
                .Where(o => o.Status == OutboxStatus.Pending && o.NextAttemptAtUtc <= now)
                .OrderBy(o => o.NextAttemptAtUtc).ThenBy(o => o.Id),
            settings.BatchSize, instance.Name, now, TimeSpan.FromSeconds(settings.LeaseSeconds), ct);
    }

    /// <returns>How many rows were attempted, and whether the connection may take the next batch (every row tried, none lost it).</returns>
    private async Task<(int Attempted, bool GoOn)> SendClaimedAsync(PortalDbContext db, IEmailSession session, List<OutboxEmail> due, CancellationToken ct)
    {
        try
        {
            return await SendAsync(db, session, due, ct);
        }
        finally
        {
            // Whatever stopped the batch early (lost connection, shutdown, lease running out, a database failure), the
            // rest goes back at once rather than waiting out the lease; if even that fails, the lease frees them.
            var unfinished = due.Where(r => r.ClaimedBy is not null).ToList();
            foreach (var row in unfinished)
                WorkClaim.Release(row);
            if (unfinished.Count > 0)
            {
                try { await db.SaveChangesAsync(CancellationToken.None); }
                catch (Exception ex) { logger.LogWarning("Could not release {Count} claimed emails ({ErrorType}); their lease frees them", unfinished.Count, ex.GetType().Name); }
            }
        }
    }

    private async Task<(int Attempted, bool GoOn)> SendAsync(PortalDbContext db, IEmailSession session, List<OutboxEmail> due, CancellationToken ct)
    {
        // A send may take up to the SMTP timeout, and saving its outcome a moment more: never start one that could
        // still be running when the lease ends and another instance may claim the same email.
        var sendBudget = TimeSpan.FromSeconds(2 * emailOptions.Value.Smtp.TimeoutSeconds);
        var attempted = 0;
        Task<Built>? ahead = null;
        await using var records = new SentRecords(db);
        // The last sent email's record, still being written while the next email starts: that email's body waits for
        // it (OutboxMessageBody), and so does anything else here that uses the database.
        var recording = Task.CompletedTask;
        try
        {
            for (var i = 0; i < due.Count; i++)
            {
                var row = due[i];
                ct.ThrowIfCancellationRequested();
                if (time.GetUtcNow().UtcDateTime + sendBudget > row.LeaseExpiresAtUtc)
                    return (attempted, false);
                attempted++;
                var connectionLost = false;
                var sent = false;
                try
                {
                    // The next message is built while this one goes: building was a tenth of a bulk send's time, all of
                    // it between two sends (issue 14's benchmark). Nothing is sent ahead.
                    var built = ahead is null ? Build(row) : await ahead;
                    ahead = i + 1 < due.Count && due[i + 1] is var next ? Task.Run(() => Build(next), CancellationToken.None) : null;
                    var message = built.Message ?? throw built.Error!;
                    OutboxMessageBody.HoldUntil(message, recording);
                    await session.SendAsync(message, ct);
                    sent = true;
                    row.Status = OutboxStatus.Sent;
                    row.Attempts++;
                    row.LastAttemptAtUtc = row.SentAtUtc = time.GetUtcNow().UtcDateTime;
                    row.LastError = null;
                    row.ProtectedSecret = null; // delivered: the token now lives only in the recipient's mailbox
                    WorkClaim.Release(row);
                    logger.LogInformation("Sent outbox email {OutboxEmailId}", row.Id);
                }
                catch (PermanentEmailFailureException ex)
                {
                    row.Status = OutboxStatus.Failed;
                    row.Attempts++;
                    row.LastAttemptAtUtc = time.GetUtcNow().UtcDateTime;
                    row.LastError = Truncate(ex.Message);
                    WorkClaim.Release(row);
                    logger.LogWarning("Outbox email {OutboxEmailId} refused permanently by the server", row.Id);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await recording; // if the last record failed, that is what stopped this send, and the error to raise
                    RecordTransientFailure(row, Describe(ex));
                    connectionLost = IsConnectionLevel(ex);
                    logger.LogWarning("Outbox email {OutboxEmailId} not sent ({ErrorType}); will retry", row.Id, ex.GetType().Name);
                }
                // Saved per row, and not cancellable: once the server has the message, we must record it. On a thread of
                // its own: SQLite's commands run (and wait for its write lock) on the caller's thread even when awaited.
                if (sent)
                    recording = Task.Run(() => RecordSentAsync(records, row), CancellationToken.None);
                else
                {
                    await recording;
                    await db.SaveChangesAsync(CancellationToken.None);
                    events.Publish(new OutboxEmailChanged(row.Id, row.ClientId, row.Status));
                }
                heartbeat.Beat(); // a long batch is alive as long as emails keep going
                if (connectionLost)
                    return (attempted, false);
            }
            return (attempted, true);
        }
        finally
        {
            await recording; // however the batch stops, the server has that email: its record is finished first
        }
    }

    private async Task RecordSentAsync(SentRecords records, OutboxEmail row)
    {
        await records.RecordAsync(row);
        events.Publish(new OutboxEmailChanged(row.Id, row.ClientId, row.Status));
    }

    /// <summary>A row's message, or why it cannot be built (a key gone, an unusable unsubscribe address): that row's failure, met when its turn comes.</summary>
    private readonly record struct Built(MimeKit.MimeMessage? Message, Exception? Error);

    private Built Build(OutboxEmail row)
    {
        try { return new Built(messages.Build(row), null); }
        catch (Exception ex) { return new Built(null, ex); }
    }

    /// <summary>
    /// The sent row's one UPDATE, as a plain command on the batch's open connection, prepared once for the batch: a
    /// SaveChanges per email (which looks through every row of the batch first) and even EF's ExecuteUpdate cost far
    /// more than the write itself, and were most of a 10,000-email bulk send's time (issue 14; SQLite does 10,000 such
    /// updates in well under a second). Still one write per email as soon as the server has it, so a crash repeats only
    /// the email in flight. The row is then no longer tracked: nothing is left to save.
    /// </summary>
    private sealed class SentRecords(PortalDbContext db) : IAsyncDisposable
    {
        private System.Data.Common.DbCommand? _command;

        public async Task RecordAsync(OutboxEmail row)
        {
            var command = _command ??= await PrepareAsync();
            command.Parameters["@attempts"].Value = row.Attempts;
            command.Parameters["@at"].Value = row.SentAtUtc!.Value;
            command.Parameters["@id"].Value = row.Id;
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            // Entry() would first compare every column of the row with its snapshot, bodies and all; detaching needs none of it.
            var tracker = db.ChangeTracker;
            var detecting = tracker.AutoDetectChangesEnabled;
            tracker.AutoDetectChangesEnabled = false;
            try { db.Entry(row).State = EntityState.Detached; }
            finally { tracker.AutoDetectChangesEnabled = detecting; }
        }

        private async Task<System.Data.Common.DbCommand> PrepareAsync()
        {
            await db.Database.OpenConnectionAsync(CancellationToken.None); // the context keeps it open for the batch
            var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = """
                UPDATE "OutboxEmails" SET "Status" = @status, "Attempts" = @attempts, "LastAttemptAtUtc" = @at, "SentAtUtc" = @at,
                    "LastError" = NULL, "ProtectedSecret" = NULL, "ClaimedBy" = NULL, "LeaseExpiresAtUtc" = NULL
                WHERE "Id" = @id
                """;
            foreach (var (name, value) in new (string, object)[] { ("@status", nameof(OutboxStatus.Sent)), ("@attempts", 0), ("@at", DateTime.UnixEpoch), ("@id", 0L) })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            return command;
        }

        public ValueTask DisposeAsync() => _command?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    private void RecordTransientFailure(OutboxEmail row, string error)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        WorkClaim.Release(row);
        row.Attempts++;
        row.LastAttemptAtUtc = now;
        if (row.Attempts >= settings.MaxAttempts)
        {
            row.Status = OutboxStatus.Failed;
            row.LastError = Truncate($"Gave up after {row.Attempts} attempts. Last error: {error}");
            return;
        }
        row.LastError = Truncate(error);
        row.NextAttemptAtUtc = now + RetryDelay(row.Attempts, settings);
    }

    /// <summary>Exponential backoff with ±20% jitter, so many failed rows do not all retry at the same instant.</summary>
    internal static TimeSpan RetryDelay(int attempts, OutboxOptions settings)
    {
        var exponential = settings.RetryBaseDelaySeconds * Math.Pow(2, Math.Min(attempts - 1, 20));
        var capped = Math.Min(exponential, settings.RetryMaxDelayMinutes * 60.0);
        var jitter = 0.8 + Random.Shared.NextDouble() * 0.4;
        return TimeSpan.FromSeconds(capped * jitter);
    }

    // The server or our account is the problem, not this message: stop the batch, keep every row for later.
    private static bool IsConnectionLevel(Exception ex) =>
        ex is IOException or SocketException or TimeoutException or ServiceNotConnectedException or SmtpProtocolException
            or SmtpCommandException { ErrorCode: SmtpErrorCode.SenderNotAccepted };

    private static string Describe(Exception ex) => ex switch
    {
        SmtpCommandException smtp => $"{(int)smtp.StatusCode} {smtp.Message}",
        SocketException socket => $"Cannot connect to the mail server: {socket.Message}",
        _ => ex.Message,
    };

    private static string Truncate(string value) => value.Length <= 1000 ? value : value[..1000];
}
