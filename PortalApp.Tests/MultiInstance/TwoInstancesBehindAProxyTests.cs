using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Messaging;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.MultiInstance;

/// <summary>
/// The real app twice, on two Kestrel ports over one PostgreSQL database, behind a sticky reverse proxy: what a clinic
/// running two instances behind nginx relies on.
/// </summary>
public sealed class TwoInstancesBehindAProxyTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private string _database = "";
    private readonly List<PortalServer> _servers = [];

    public async ValueTask InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
            await server.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }

    /// <summary>One instance; started one after the other, as a rolling deployment does (the first migrates and seeds).</summary>
    private PortalServer Start(string name, IDictionary<string, string?>? settings = null)
    {
        var server = PortalServer.Start(factory =>
        {
            factory.With("Database:Provider", "PostgreSql")
                .With("ConnectionStrings:Portal", TestPostgres.ConnectionString(_database))
                .With("Instance:Name", name);
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
                factory.With(key, value);
        });
        _servers.Add(server);
        return server;
    }

    private static string? ServedBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues(StickyProxy.ServedBy, out var values) ? values.Single() : null;

    [Fact]
    public async Task Staff_and_patient_sessions_made_on_one_instance_work_on_the_other_and_after_its_restart()
    {
        var a = Start("web-a");
        var b = Start("web-b");
        await using var proxy = await StickyProxy.StartAsync(new Dictionary<string, string> { ["web-a"] = a.BaseUrl });
        using var staff = proxy.Browser();
        using var patient = proxy.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await StaffClient.PostSignInAsync(staff, "frontdesk@demo.clinic", DemoSeeder.DemoPassword)).StatusCode);
        await PortalForms.RegisteredPatientAsync(a, patient); // registering signs the patient in

        // Both instances in the pool: each browser stays with the instance it started on.
        proxy.RouteTo(new Dictionary<string, string> { ["web-a"] = a.BaseUrl, ["web-b"] = b.BaseUrl });
        for (var i = 0; i < 3; i++)
        {
            await AssertSignedInAsync(staff, "/clients", "web-a");
            await AssertSignedInAsync(patient, "/portal", "web-a");
        }

        // A stops (an update); the proxy's health check takes it out: the same cookies work on B.
        _servers.Remove(a);
        await a.DisposeAsync();
        proxy.RouteTo(new Dictionary<string, string> { ["web-b"] = b.BaseUrl });
        await AssertSignedInAsync(staff, "/clients", "web-b");
        await AssertSignedInAsync(patient, "/portal", "web-b");

        // A comes back (on a new port) and B leaves: still signed in, on a process that never saw either sign-in.
        var restarted = Start("web-a");
        proxy.RouteTo(new Dictionary<string, string> { ["web-a"] = restarted.BaseUrl });
        await AssertSignedInAsync(staff, "/clients", "web-a");
        await AssertSignedInAsync(patient, "/portal", "web-a");
    }

    private static async Task AssertSignedInAsync(HttpClient browser, string path, string instance)
    {
        var response = await browser.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode} {StaffClient.Location(response)}");
        Assert.Equal(instance, ServedBy(response));
    }

    [Fact]
    public async Task Both_instances_dispatching_send_each_queued_email_once_and_a_reply_on_one_updates_the_other()
    {
        await using var smtp = await SmtpTestServer.StartNewAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Email:Transport"] = "Smtp", ["Email:Smtp:Host"] = "127.0.0.1", ["Email:Smtp:Port"] = smtp.Port.ToString(),
            ["Email:Smtp:Security"] = "None", ["Email:Smtp:TimeoutSeconds"] = "5", ["Outbox:BatchSize"] = "2",
        };
        var a = Start("web-a", settings);
        var b = Start("web-b", settings);
        await Task.WhenAll(a.Services.GetRequiredService<PostgresNotificationRelay>().Listening.WaitAsync(Patience),
            b.Services.GetRequiredService<PostgresNotificationRelay>().Listening.WaitAsync(Patience));
        // Staff on A see every email's state change, whichever instance sent it.
        var sentSeenOnA = new ConcurrentDictionary<long, bool>();
        var allSentSeenOnA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int count = 30;
        a.Services.GetRequiredService<OutboxEvents>().Changed += change =>
        {
            if (change.Status == OutboxStatus.Sent && sentSeenOnA.TryAdd(change.OutboxEmailId, true) && sentSeenOnA.Count == count)
                allSentSeenOnA.TrySetResult();
        };

        await using (var db = await a.DbAsync())
        {
            var outbox = a.Services.GetRequiredService<EmailOutbox>();
            for (var i = 1; i <= count; i++)
                outbox.Enqueue(db, new OutgoingEmail($"patient{i}@example.com", null, "Your appointment", "<p>See you soon.</p>", "See you soon.", "test"));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        a.Services.GetRequiredService<EmailOutbox>().WakeDispatcher();
        b.Services.GetRequiredService<EmailOutbox>().WakeDispatcher();

        await allSentSeenOnA.Task.WaitAsync(Patience);
        var received = await smtp.WaitForMessagesAsync(count);
        Assert.Equal(count, received.Count);
        Assert.Equal(count, received.Select(r => r.Message.MessageId).Distinct().Count());

        // A patient's reply posted to B appears on A (its MessagingEvents: what the staff tab listens to).
        var client = await PortalForms.AddNoraAsync(a);
        int conversationId;
        await using (var db = await a.DbAsync())
        {
            var conversation = new Conversation { ClientId = client.Id, Subject = "Your results", CreatedByName = "Dr. Chen", CreatedAtUtc = DateTime.UtcNow, LastMessageAtUtc = DateTime.UtcNow };
            db.Conversations.Add(conversation);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            conversationId = conversation.Id;
        }
        var replyOnA = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Services.GetRequiredService<MessagingEvents>().Changed += id => replyOnA.TrySetResult(id);
        using var scope = b.Services.CreateScope();
        var reply = await scope.ServiceProvider.GetRequiredService<PatientMessagingService>()
            .ReplyAsync(client.Id, conversationId, "Thank you", "Nora Quinn", ct: TestContext.Current.CancellationToken);
        Assert.IsType<MessageSendResult.Sent>(reply);
        Assert.Equal(client.Id, await replyOnA.Task.WaitAsync(Patience));
    }
}
