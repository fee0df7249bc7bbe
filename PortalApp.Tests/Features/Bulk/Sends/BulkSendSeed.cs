using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Bulk;

namespace PortalApp.Tests.Features.Bulk.Sends;

/// <summary>
/// Bulk sends for the pages' tests: made by the real BulkSendService (hand-picked patients), then moved to the state and
/// the per-recipient outcomes a test needs, as the runner and the delivery reports would have left them.
/// </summary>
public static class BulkSendSeed
{
    public static async Task<long> CreateAsync(TestSupport.ServiceTestHost host, string title, int patients, string prefix = "P")
    {
        var clients = new List<int>();
        for (var i = 0; i < patients; i++)
            clients.Add((await host.AddClientAsync($"{prefix}{i:D3}", "Patient", email: $"{prefix.ToLowerInvariant()}{i}.{Guid.NewGuid():N}@example.com")).Id);
        var request = new BulkSendRequest(Guid.NewGuid().ToString("N"), title, BulkChannel.Email, BulkPurpose.Care,
            new BulkAudienceFilter(BulkAudienceKind.HandPicked, ClientIds: clients), null, "We are closed on Friday",
            "Hello {{ patient.first_name }}, the clinic is closed on Friday.", null, patients);
        var created = await host.Scoped<BulkSendService>().CreateAsync(request, TestSupport.Staff.FrontDesk);
        return Assert.IsType<BulkCreateResult.Created>(created).BulkSendId;
    }

    public static async Task SetStateAsync(TestSupport.ServiceTestHost host, long id, BulkSendState state)
    {
        await using var db = await host.DbAsync();
        var now = host.Time.GetUtcNow().UtcDateTime;
        await db.BulkSends.Where(b => b.Id == id).ExecuteUpdateAsync(u => u.SetProperty(b => b.State, state)
            .SetProperty(b => b.StartedAtUtc, state == BulkSendState.Scheduled ? null : now.AddMinutes(-1)));
    }

    /// <summary>Gives the recipients, in order, these outcomes; the rest stay waiting.</summary>
    public static async Task SetOutcomesAsync(TestSupport.ServiceTestHost host, long id, params BulkOutcomeSeed[] outcomes)
    {
        await using var db = await host.DbAsync();
        var now = host.Time.GetUtcNow().UtcDateTime;
        var recipients = await db.BulkRecipients.Where(r => r.BulkSendId == id).OrderBy(r => r.Position).ToListAsync();
        foreach (var (recipient, seed) in recipients.Zip(outcomes))
        {
            recipient.Status = seed.Status;
            recipient.Reason = seed.Reason;
            recipient.ProcessedAtUtc = now;
            recipient.UnsubscribedAtUtc = seed.Unsubscribed ? now : null;
            if (seed.Message is { } message)
                recipient.OutboundMessage = new OutboundMessage
                {
                    Channel = MessageChannel.Email, Recipient = recipient.Address!, RecipientName = recipient.Name, ClientId = recipient.ClientId,
                    Kind = "bulk", Subject = "We are closed on Friday", Body = "Closed", Status = message, StatusDetail = seed.MessageDetail,
                    CreatedAtUtc = now, NextAttemptAtUtc = now, SentAtUtc = now,
                };
        }
        await db.SaveChangesAsync();
    }
}

public sealed record BulkOutcomeSeed(BulkRecipientStatus Status, OutboundMessageStatus? Message = null, string? Reason = null,
    string? MessageDetail = null, bool Unsubscribed = false)
{
    public static readonly BulkOutcomeSeed Sent = new(BulkRecipientStatus.Sent, OutboundMessageStatus.Sent);
    public static readonly BulkOutcomeSeed Delivered = new(BulkRecipientStatus.Sent, OutboundMessageStatus.Delivered);
    public static readonly BulkOutcomeSeed Bounced = new(BulkRecipientStatus.Sent, OutboundMessageStatus.Failed, MessageDetail: "550 Mailbox unavailable");
    public static readonly BulkOutcomeSeed Skipped = new(BulkRecipientStatus.Skipped, Reason: "Opted out of emails");
    public static readonly BulkOutcomeSeed NotRendered = new(BulkRecipientStatus.Failed, Reason: "The template did not render");
    public static readonly BulkOutcomeSeed Cancelled = new(BulkRecipientStatus.Cancelled);
    public static readonly BulkOutcomeSeed DeliveredThenUnsubscribed = new(BulkRecipientStatus.Sent, OutboundMessageStatus.Delivered, Unsubscribed: true);
}
