using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>/healthz as a monitor sees it: anonymous JSON, 200 when healthy, 503 when the database or the email dispatcher is down.</summary>
public sealed class HealthEndpointTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body, string Text)> GetHealthAsync(PortalAppFactory factory)
    {
        var response = await StaffClient.Anonymous(factory).GetAsync("/healthz");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement, text);
    }

    [Fact]
    public async Task A_healthy_app_answers_200_with_the_email_counts_and_no_patient_data()
    {
        await using var factory = new PortalAppFactory();
        factory.CreateClient().Dispose();
        await using (var db = await factory.DbAsync())
        {
            var now = DateTime.UtcNow;
            db.OutboxEmails.AddRange(
                new OutboxEmail { ToAddress = "emma.rivera@example.com", Subject = "Your results", Status = OutboxStatus.Failed, CreatedAtUtc = now, NextAttemptAtUtc = now, MessageId = "f1@x" },
                new OutboxEmail { ToAddress = "noah@example.com", Subject = "Later", Status = OutboxStatus.Pending, CreatedAtUtc = now, NextAttemptAtUtc = now.AddDays(1), MessageId = "p1@x" });
            await db.SaveChangesAsync();
        }

        var (status, body, text) = await GetHealthAsync(factory);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("emailDispatcher").GetProperty("status").GetString());
        Assert.Equal(1, body.GetProperty("emails").GetProperty("waiting").GetInt32());
        Assert.Equal(1, body.GetProperty("emails").GetProperty("failed").GetInt32());
        await using var check = await factory.DbAsync();
        var names = await check.Clients.Select(c => c.LastName).ToListAsync();
        Assert.DoesNotContain("@", text);
        Assert.DoesNotContain("Your results", text);
        Assert.DoesNotContain(names, text.Contains);
    }

    [Fact]
    public async Task An_unreadable_database_answers_503_without_saying_more_than_that()
    {
        await using var factory = new PortalAppFactory();
        factory.CreateClient().Dispose();
        var database = Path.Combine(factory.Folder, "portal.db");

        // What a damaged disk or a botched restore leaves: the file is there, but is not a database.
        SqliteConnection.ClearAllPools();
        File.Delete(database + "-wal");
        File.Delete(database + "-shm");
        await File.WriteAllTextAsync(database, new string('x', 8192));

        var (status, body, text) = await GetHealthAsync(factory);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("The database cannot be read.", body.GetProperty("checks").GetProperty("database").GetProperty("description").GetString());
        Assert.DoesNotContain("portal.db", text);
        Assert.DoesNotContain("SQLite", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_dispatcher_that_stopped_beating_answers_503_after_a_few_poll_intervals()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new PortalAppFactory().WithClock(clock);
        factory.CreateClient().Dispose();
        Assert.Equal(HttpStatusCode.OK, (await GetHealthAsync(factory)).Status);

        // The loop ends, as it would on a crash; nothing else notices.
        await factory.Services.GetServices<IHostedService>().OfType<OutboxDispatcherService>().Single().StopAsync(CancellationToken.None);
        var staleAfter = factory.Services.GetRequiredService<OutboxHeartbeat>().StaleAfter;
        clock.Advance(staleAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await GetHealthAsync(factory)).Status);
        clock.Advance(TimeSpan.FromSeconds(2));

        var (status, body, _) = await GetHealthAsync(factory);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("emailDispatcher").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Contains("emails are not being sent", body.GetProperty("checks").GetProperty("emailDispatcher").GetProperty("description").GetString());
    }
}
