using Npgsql;
using PortalApp.Email;
using PortalApp.Features.Messaging;

namespace PortalApp.Infrastructure;

/// <summary>
/// Carries live updates between instances over PostgreSQL LISTEN/NOTIFY: sends this instance's notices with
/// <c>pg_notify</c>, and keeps one dedicated connection LISTENing, raising the in-process events (MessagingEvents,
/// OutboxEvents, ScheduleEvents, OutboundMessageEvents) for notices from other instances. Its own notices come back too and are skipped by instance name:
/// they were raised locally when published. A lost connection is reopened with backoff (1 s doubling to 30 s);
/// notices sent meanwhile are missed, which costs an open page a reload, never data.
/// </summary>
public sealed class PostgresNotificationRelay(
    IConfiguration configuration,
    InstanceNotifications notifications,
    MessagingEvents messaging,
    OutboxEvents outbox,
    Features.Schedule.ScheduleEvents schedule,
    Features.Channels.OutboundMessageEvents outboundMessages,
    Features.Bulk.BulkSendEvents bulkSends,
    ILogger<PostgresNotificationRelay> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place (tests wait for it before publishing).</summary>
    public Task Listening => _listening.Task;

    private string ConnectionString(bool listener)
    {
        var builder = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(DatabaseSetup.ConnectionStringName));
        if (listener)
        {
            builder.Pooling = false; // a pooled connection is reset (UNLISTEN) when returned; this one is never returned
            builder.KeepAlive = 15;  // a dead server or network shows as an error within seconds instead of a silent wait
        }
        return builder.ToString();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SendAsync(stoppingToken), ListenAsync(stoppingToken));

    private async Task SendAsync(CancellationToken stop)
    {
        var connectionString = ConnectionString(listener: false);
        try
        {
            await foreach (var notice in notifications.Queued.ReadAllAsync(stop))
            {
                if (!notice.FitsInPayload())
                {
                    logger.LogWarning("A {Kind} notice was too long to send to other instances", notice.Kind);
                    continue;
                }
                try
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    await connection.OpenAsync(stop);
                    await using var command = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection);
                    command.Parameters.AddWithValue(InstanceNotifications.Channel);
                    command.Parameters.AddWithValue(notice.ToPayload());
                    await command.ExecuteNonQueryAsync(stop);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    logger.LogWarning("Could not tell other instances of a {Kind} change ({ErrorType})", notice.Kind, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        var connectionString = ConnectionString(listener: true);
        var backoff = TimeSpan.FromSeconds(1);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, e) => Raise(e.Payload);
                await connection.OpenAsync(stop);
                await using (var listen = new NpgsqlCommand($"LISTEN {InstanceNotifications.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stop);
                logger.LogInformation("Listening for other instances' live updates as {InstanceName}", notifications.InstanceName);
                backoff = TimeSpan.FromSeconds(1);
                _listening.TrySetResult();
                while (true)
                    await connection.WaitAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The type only: Npgsql's messages can carry the host and user of the connection string.
                logger.LogWarning("Live updates from other instances paused ({ErrorType}); reconnecting in {BackoffSeconds} s", ex.GetType().Name, backoff.TotalSeconds);
                try { await Task.Delay(backoff, stop); }
                catch (OperationCanceledException) { return; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private void Raise(string payload)
    {
        var notice = InstanceNotice.FromPayload(payload);
        if (notice is null || notice.From == notifications.InstanceName)
            return;
        switch (notice.Kind)
        {
            case InstanceNotice.MessagingKind when notice.ClientId is { } clientId:
                messaging.RaiseFromOtherInstance(clientId);
                break;
            case InstanceNotice.OutboxKind when notice is { EmailId: { } emailId, Status: { } status }:
                outbox.RaiseFromOtherInstance(new OutboxEmailChanged(emailId, notice.ClientId, status));
                break;
            case InstanceNotice.AppointmentResponseKind when notice is { AppointmentId: { } appointmentId, ClientId: { } clientId, Response: { } response }
                && Features.Schedule.PatientResponseNotice.Parse(appointmentId, clientId, response) is { } responded:
                schedule.RaiseFromOtherInstance(responded);
                break;
            case InstanceNotice.OutboundMessageKind when notice is { MessageId: { } messageId, Channel: { } channel, MessageStatus: { } status }:
                outboundMessages.RaiseFromOtherInstance(new Features.Channels.OutboundMessageChanged(messageId, notice.ClientId, channel, status));
                break;
            case InstanceNotice.BulkSendKind when notice.BulkSendId is { } bulkSendId:
                bulkSends.RaiseFromOtherInstance(bulkSendId);
                break;
        }
    }
}
