using Microsoft.Extensions.Configuration;
using Npgsql;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Channels;
using PortalApp.Features.Messaging;
using PortalApp.Features.Reminders;
using PortalApp.Features.Schedule;
using PortalApp.Tests.Features.Channels;
using PortalApp.Tests.Features.Reminders;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.MultiInstance;

/// <summary>Two instances over one PostgreSQL database: a change on one reaches the other's open pages (LISTEN/NOTIFY).</summary>
public sealed class LiveUpdatesAcrossInstancesTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private ServiceTestHost _a = null!;
    private ServiceTestHost _b = null!;

    public async ValueTask InitializeAsync()
    {
        _a = await ServiceTestHost.StartAsync(DatabaseProvider.PostgreSql, new Dictionary<string, string?> { ["Instance:Name"] = "web-a" });
        _b = await _a.StartSiblingAsync(new Dictionary<string, string?> { ["Instance:Name"] = "web-b" });
        foreach (var host in new[] { _a, _b })
        {
            var relay = host.Get<PostgresNotificationRelay>();
            await relay.StartAsync(TestContext.Current.CancellationToken);
            await relay.Listening.WaitAsync(Patience);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _b.Get<PostgresNotificationRelay>().StopAsync(CancellationToken.None);
        await _a.Get<PostgresNotificationRelay>().StopAsync(CancellationToken.None);
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task A_patient_reply_posted_through_one_instance_raises_the_messaging_event_on_the_other_once_with_ids_only()
    {
        var client = await _a.AddClientAsync();
        int conversationId;
        await using (var db = await _a.DbAsync())
        {
            var conversation = new Conversation { ClientId = client.Id, Subject = "Your results", CreatedByName = "Dr. Chen", CreatedAtUtc = _a.Time.GetUtcNow().UtcDateTime, LastMessageAtUtc = _a.Time.GetUtcNow().UtcDateTime };
            db.Conversations.Add(conversation);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            conversationId = conversation.Id;
        }
        var (eavesdropper, payload) = await EavesdropAsync();
        await using var _ = eavesdropper;
        var onA = Counter(_a);
        var onB = Counter(_b);

        var reply = await _b.Scoped<PatientMessagingService>().ReplyAsync(client.Id, conversationId, "My knee still hurts after the exercises", "Emma Smith",
            ct: TestContext.Current.CancellationToken);

        Assert.IsType<MessageSendResult.Sent>(reply);
        Assert.Equal(client.Id, await onA.First.Task.WaitAsync(Patience));
        var wire = await WaitForPayloadAsync(eavesdropper, payload);
        Assert.Equal($"{{\"from\":\"web-b\",\"kind\":\"messaging\",\"clientId\":{client.Id},\"emailId\":null,\"status\":null}}", wire);

        // B published it itself; its own notice comes back too and must not raise the event a second time. Notices
        // reach a listener in commit order, so once B has A's later notice (another client's id), its own echo has
        // been handled.
        const int otherClientId = int.MaxValue;
        _a.Get<MessagingEvents>().Publish(otherClientId);
        await onB.Seen(otherClientId).WaitAsync(Patience);
        Assert.Equal([client.Id, otherClientId], onB.Ids); // its own publish, then A's: no echo of its own
    }

    [Fact]
    public async Task A_patients_confirmation_on_one_instance_reaches_the_others_schedule_with_ids_and_how_only()
    {
        var client = await _a.AddClientAsync();
        var appointment = await ReminderTestData.BookAsync(_a.DbAsync, client.Id, new DateTime(2026, 3, 6, 14, 0, 0, DateTimeKind.Utc));
        var (eavesdropper, payload) = await EavesdropAsync();
        await using var _ = eavesdropper;
        var onA = new TaskCompletionSource<PatientResponseNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        _a.Get<ScheduleEvents>().PatientResponded += notice => onA.TrySetResult(notice);

        var confirmed = await _b.Scoped<AppointmentResponses>().ConfirmAsync(appointment.Id, client.Id, ResponseVia.TextReply, TestContext.Current.CancellationToken);

        Assert.IsType<PatientResponseResult.Done>(confirmed);
        Assert.Equal(new PatientResponseNotice(appointment.Id, client.Id, false, "text reply"), await onA.Task.WaitAsync(Patience));
        Assert.Equal($"{{\"from\":\"web-b\",\"kind\":\"appointment-response\",\"clientId\":{client.Id},\"emailId\":null,\"status\":null,\"appointmentId\":{appointment.Id},\"response\":\"Confirmed:text reply\"}}",
            await WaitForPayloadAsync(eavesdropper, payload));
    }

    [Fact]
    public async Task A_delivery_report_taken_by_one_instance_updates_the_messages_log_open_on_the_other_with_ids_only()
    {
        var client = await _a.AddClientAsync();
        const string sid = "SM0123456789abcdef0123456789abcdef";
        var id = await _a.EnqueueTextAsync(clientId: client.Id);
        await using (var db = await _a.DbAsync())
        {
            var row = await db.OutboundMessages.SingleAsync(m => m.Id == id, TestContext.Current.CancellationToken);
            (row.Status, row.ProviderMessageId, row.Attempts) = (OutboundMessageStatus.Sent, sid, 1);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        var (eavesdropper, payload) = await EavesdropAsync();
        await using var _ = eavesdropper;
        var onA = new TaskCompletionSource<OutboundMessageChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        _a.Get<OutboundMessageEvents>().Changed += change => onA.TrySetResult(change);

        var report = new Dictionary<string, string> { ["MessageSid"] = sid, ["MessageStatus"] = "delivered", ["To"] = TextTestData.Patient };
        Assert.Equal(DeliveryReportResult.Recorded, await _b.Get<DeliveryReports>().ApplyAsync(report, TestContext.Current.CancellationToken));

        Assert.Equal(new OutboundMessageChanged(id, client.Id, MessageChannel.Sms, OutboundMessageStatus.Delivered), await onA.Task.WaitAsync(Patience));
        Assert.Equal($"{{\"from\":\"web-b\",\"kind\":\"outbound-message\",\"clientId\":{client.Id},\"emailId\":null,\"status\":null,\"messageId\":{id},\"channel\":\"Sms\",\"messageStatus\":\"Delivered\"}}",
            await WaitForPayloadAsync(eavesdropper, payload));
    }

    /// <summary>What goes over the wire, as anyone allowed to LISTEN on the database would read it: the first payload.</summary>
    private async Task<(NpgsqlConnection Connection, Task<string> Payload)> EavesdropAsync()
    {
        var eavesdropper = new NpgsqlConnection(_a.Get<IConfiguration>().GetConnectionString(DatabaseSetup.ConnectionStringName));
        var payload = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        eavesdropper.Notification += (_, e) => payload.TrySetResult(e.Payload);
        await eavesdropper.OpenAsync(TestContext.Current.CancellationToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {InstanceNotifications.Channel}", eavesdropper))
            await listen.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return (eavesdropper, payload.Task);
    }

    private static async Task<string> WaitForPayloadAsync(NpgsqlConnection connection, Task<string> payload)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(Patience);
        while (!payload.IsCompleted)
            await connection.WaitAsync(patience.Token);
        return await payload;
    }

    private static EventCounter Counter(ServiceTestHost host)
    {
        var counter = new EventCounter();
        host.Get<MessagingEvents>().Changed += counter.Add;
        return counter;
    }

    /// <summary>Every client id an instance's MessagingEvents raised, in order.</summary>
    private sealed class EventCounter
    {
        private readonly Lock _lock = new();
        private readonly List<int> _ids = [];
        private readonly List<(int Id, TaskCompletionSource Done)> _waits = [];

        public TaskCompletionSource<int> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<int> Ids
        {
            get { lock (_lock) return [.. _ids]; }
        }

        public void Add(int clientId)
        {
            First.TrySetResult(clientId);
            lock (_lock)
            {
                _ids.Add(clientId);
                foreach (var wait in _waits.Where(w => w.Id == clientId))
                    wait.Done.TrySetResult();
            }
        }

        public Task Seen(int clientId)
        {
            lock (_lock)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_ids.Contains(clientId))
                    done.SetResult();
                else
                    _waits.Add((clientId, done));
                return done.Task;
            }
        }
    }
}
