using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Tests.Email;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Bulk;

/// <summary>A promotional bulk send of 1,000 emails through the outbox and MailKit to a real SMTP server on 127.0.0.1.</summary>
[Trait("Providers", "Both")]
public sealed class BulkEmailDeliveryTests : IAsyncLifetime
{
    private const int Patients = 1_000;
    private SmtpTestServer _smtp = null!;
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        var settings = OutboxTestData.SmtpSettings(_smtp.Port);
        settings["Bulk:EmailsPerSecond"] = "100000";
        settings["Bulk:BatchSize"] = "500";
        settings["Outbox:BatchSize"] = "500";
        _host = await ServiceTestHost.StartAsync(settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task A_thousand_patients_get_a_thousand_distinct_emails_each_to_one_person_with_their_own_name_and_the_unsubscribe_headers()
    {
        var now = _host.Time.GetUtcNow().UtcDateTime;
        await using (var db = await _host.DbAsync())
        {
            db.Clients.AddRange(Enumerable.Range(0, Patients).Select(i => new Client
            {
                FirstName = $"Pat{i:D4}", LastName = "Bulk", DateOfBirth = new DateOnly(1980, 1, 1), Email = $"pat{i:D4}@example.com",
                PromotionalConsentAtUtc = now.AddDays(-1), PromotionalConsentSource = "Signed the consent form", CreatedAtUtc = now, UpdatedAtUtc = now,
            }));
            await db.SaveChangesAsync();
        }
        var created = Assert.IsType<BulkCreateResult.Created>(await _host.Scoped<BulkSendService>().CreateAsync(new BulkSendRequest(
            Guid.NewGuid().ToString("N"), "Flu clinic", BulkChannel.Email, BulkPurpose.Promotional,
            new BulkAudienceFilter(BulkAudienceKind.HandPicked, ClientIds: await AllIdsAsync()),
            null, "Flu shots on Saturday", "Hello {{ patient.first_name }}, flu shots are on Saturday.", null, Patients), Staff.FrontDesk));
        _host.Time.Advance(TimeSpan.FromMinutes(5));

        for (var round = 0; round < 5; round++)
        {
            await _host.Scoped<BulkRunner>().RunOnceAsync(CancellationToken.None);
            _host.Time.Advance(TimeSpan.FromSeconds(1));
        }
        for (var pass = 0; pass < 10 && _smtp.Received.Count < Patients; pass++)
        {
            while (await _host.DispatchAsync() > 0) { }
            _host.Time.Advance(TimeSpan.FromMinutes(5)); // past the retry delay of an email a stalled send left for later
        }

        var received = await _smtp.WaitForMessagesAsync(Patients);
        Assert.Equal(Patients, received.Count);
        Assert.Equal(Patients, received.Select(r => r.Message.MessageId).Distinct().Count());
        Assert.All(received, r =>
        {
            var to = Assert.Single(r.EnvelopeTo);
            Assert.Equal(to, Assert.Single(r.Message.To.Mailboxes).Address);
            Assert.Empty(r.Message.Cc);
            Assert.Empty(r.Message.Bcc);
            var first = to[..7].Replace("pat", "Pat");
            Assert.Contains($"Hello {first},", r.Message.TextBody);
            Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(r.Message.TextBody ?? "", "Hello Pat"));
            Assert.Matches("^<https?://[^>]+/unsubscribe/[A-Za-z0-9_-]{43}>$", r.Message.Headers["List-Unsubscribe"]);
            Assert.Equal("List-Unsubscribe=One-Click", r.Message.Headers["List-Unsubscribe-Post"]);
        });
        await using var check = await _host.DbAsync();
        Assert.Equal(Patients, await check.BulkRecipients.CountAsync(b => b.BulkSendId == created.BulkSendId && b.Status == BulkRecipientStatus.Sent));
        Assert.Equal(BulkSendState.Finished, (await check.BulkSends.SingleAsync()).State);
    }

    private async Task<List<int>> AllIdsAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.Clients.Select(c => c.Id).ToListAsync();
    }
}
