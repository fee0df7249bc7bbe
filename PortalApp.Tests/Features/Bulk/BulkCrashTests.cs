using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Bulk;

/// <summary>
/// The issue's crash test, with real kills: the app runs as its own process (Production, emails to a real SMTP server),
/// sends a 2,000-recipient bulk email, and is killed with SIGKILL five times at random points of the send (each when
/// the SMTP server has a randomly chosen number of emails, so the runner and the outbox are both mid-batch), started
/// again on the same database each time. At the end every patient has exactly one email: an email the server had taken
/// just before a kill may arrive a second time, with the same Message-ID (decision 0004), and nobody gets two different
/// ones; the database agrees and is intact.
/// </summary>
[Trait("Providers", "Both")]
public sealed class BulkCrashTests : IAsyncLifetime
{
    private const int Patients = 2_000, Kills = 5;
    private const int SmtpTimeoutSeconds = 5, EmailLeaseSeconds = 20, BulkLeaseSeconds = 5;

    private ServiceTestHost _host = null!;
    private SmtpTestServer _smtp = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        _host = await ServiceTestHost.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task A_send_killed_five_times_at_random_points_and_restarted_reaches_each_patient_once()
    {
        var addresses = await SeedAsync();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        // Distinct targets spread over the send, in order: each run must get further than the last before it dies.
        var targets = Enumerable.Range(0, Kills).Select(i => Patients * i / Kills + random.Next(50, Patients / Kills - 50)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"Seed {seed}: kills when the SMTP server has {string.Join(", ", targets)} emails.");

        foreach (var target in targets)
        {
            await using var app = await AppProcess.StartServerAsync(AppEnvironment());
            await WaitAsync(() => Task.FromResult(_smtp.Received.Count >= target), $"{target} emails at the SMTP server", app);
            await app.KillAsync();
            Assert.True(_smtp.Received.Count < Patients, $"The send had finished ({_smtp.Received.Count} emails) before the kill meant for {target}.");
        }
        await using (var last = await AppProcess.StartServerAsync(AppEnvironment()))
        {
            await WaitAsync(() => Task.FromResult(_smtp.Received.Select(r => r.EnvelopeTo.Single()).Distinct().Count() >= Patients), $"{Patients} patients' emails", last);
            await WaitAsync(DoneAsync, "every email recorded as sent", last);
            Assert.Equal(0, await last.StopAsync());
        }

        var byAddress = _smtp.Received.GroupBy(r => r.EnvelopeTo.Single()).ToDictionary(g => g.Key, g => g.Select(r => r.Message.MessageId).ToList());
        Assert.Equal(addresses.Order(), byAddress.Keys.Order());
        Assert.All(byAddress, pair => Assert.Single(pair.Value.Distinct()));
        var repeated = _smtp.Received.Count - Patients;
        Assert.True(repeated <= Kills, $"{repeated} emails arrived twice: more than one per kill.");
        Assert.All(_smtp.Received, r => Assert.Single(r.Message.To.Mailboxes));

        await using var db = await _host.DbAsync();
        Assert.Equal(Patients, await db.BulkRecipients.CountAsync(r => r.Status == BulkRecipientStatus.Sent && r.OutboundMessage!.OutboxEmail!.Status == OutboxStatus.Sent));
        Assert.Equal(Patients, await db.OutboxEmails.CountAsync());
        Assert.Equal(BulkSendState.Finished, (await db.BulkSends.SingleAsync()).State);
        if (_host.Provider == DatabaseProvider.Sqlite)
            Assert.Equal(["ok"], (await db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync()).ToArray());
    }

    private async Task<List<string>> SeedAsync()
    {
        await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Admin); // Production does not start without an admin
        var now = _host.Time.GetUtcNow().UtcDateTime;
        await using (var db = await _host.DbAsync())
        {
            db.Clients.AddRange(Enumerable.Range(0, Patients).Select(i => new Client
            {
                FirstName = $"Pat{i:D4}", LastName = "Crash", DateOfBirth = new DateOnly(1980, 1, 1), Email = $"pat{i:D4}@example.com",
                CreatedAtUtc = now, UpdatedAtUtc = now,
            }));
            await db.SaveChangesAsync();
        }
        List<int> ids;
        await using (var db = await _host.DbAsync())
            ids = await db.Clients.Select(c => c.Id).ToListAsync();
        // Made by the clock of the seeding host (March 2026): the app's real clock finds its undo window long over.
        Assert.IsType<BulkCreateResult.Created>(await _host.Scoped<BulkSendService>().CreateAsync(new BulkSendRequest(
            Guid.NewGuid().ToString("N"), "Clinic closed on Friday", BulkChannel.Email, BulkPurpose.Care,
            new BulkAudienceFilter(BulkAudienceKind.HandPicked, ClientIds: ids), null,
            "Closed on Friday", "Hello {{ patient.first_name }}, the clinic is closed on Friday.", null, Patients), Staff.FrontDesk));
        return Enumerable.Range(0, Patients).Select(i => $"pat{i:D4}@example.com").ToList();
    }

    private Dictionary<string, string> AppEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Serilog__WriteTo__File__Args__path"] = Path.Combine(_host.Folder, "logs", "portal-.log"),
            ["Email__Transport"] = "Smtp",
            ["Email__FromAddress"] = "portal@clinic.example",
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email__Smtp__Security"] = "None",
            ["Email__Smtp__TimeoutSeconds"] = $"{SmtpTimeoutSeconds}",
            ["Outbox__LeaseSeconds"] = $"{EmailLeaseSeconds}",
            // The health check calls the dispatcher stale after 3 polls and 2 SMTP timeouts (16 s): room for a busy machine.
            ["Outbox__PollIntervalSeconds"] = "2",
            ["Outbox__BatchSize"] = "100",
            // Slower than the outbox: the runner is still releasing recipients while emails go, so kills land in both.
            ["Bulk__EmailsPerSecond"] = "300",
            ["Bulk__BatchSize"] = "50",
            ["Bulk__PollIntervalSeconds"] = "1",
            ["Bulk__LeaseSeconds"] = $"{BulkLeaseSeconds}",
            ["Messaging__AllowFolderInProduction"] = "true", // this send is email only
            ["Messaging__PickupFolder"] = Path.Combine(_host.Folder, "texts"),
        };
        if (_host.PostgresDatabase is { } database)
        {
            environment["Database__Provider"] = "PostgreSql";
            environment["ConnectionStrings__Portal"] = TestPostgres.ConnectionString(database);
        }
        else
        {
            environment["ConnectionStrings__Portal"] = $"Data Source={Path.Combine(_host.Folder, "portal.db")}";
        }
        return environment;
    }

    private async Task<bool> DoneAsync()
    {
        await using var db = await _host.DbAsync();
        return !await db.OutboxEmails.AnyAsync(e => e.Status != OutboxStatus.Sent)
            && !await db.BulkRecipients.AnyAsync(r => r.Status == BulkRecipientStatus.Pending);
    }

    /// <summary>Until <paramref name="condition"/> holds (3 minutes at most); if it never does, fails saying what did not happen, with the app's output.</summary>
    private async Task WaitAsync(Func<Task<bool>> condition, string what, RunningApp app)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Waited in vain for {what}: {_smtp.Received.Count} emails at the SMTP server. The app's output:\n{app.Output}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
