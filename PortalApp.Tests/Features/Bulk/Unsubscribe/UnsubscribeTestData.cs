using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Bulk;

namespace PortalApp.Tests.Features.Bulk.Unsubscribe;

/// <summary>Promotional sends as the bulk runner leaves them: one recipient each, with an unsubscribe link issued.</summary>
internal static class UnsubscribeTestData
{
    /// <summary>A promotional email send reached <paramref name="clientId"/> at <paramref name="sentAtUtc"/>; returns the recipient and its link's token.</summary>
    public static async Task<(BulkRecipient Recipient, string Token)> SentToAsync(Func<Task<PortalDbContext>> dbAsync, int clientId, DateTime sentAtUtc)
    {
        await using var db = await dbAsync();
        var send = new BulkSend
        {
            IdempotencyKey = Guid.NewGuid().ToString("N"), Title = "Flu clinic", Channel = BulkChannel.Email, Purpose = BulkPurpose.Promotional,
            AudienceKind = BulkAudienceKind.HandPicked, AudienceJson = new BulkAudienceFilter(BulkAudienceKind.HandPicked, ClientIds: [clientId]).ToJson(),
            AudienceDescription = "Picked by hand", Subject = "Flu clinic on Saturday", Body = "Flu shots this Saturday.", State = BulkSendState.Finished,
            CreatedAtUtc = sentAtUtc, CreatedByUserId = "staff-frontdesk", CreatedByName = "Fran Desk", StartsAtUtc = sentAtUtc, StartedAtUtc = sentAtUtc,
            FinishedAtUtc = sentAtUtc, RecipientCount = 1,
        };
        db.BulkSends.Add(send);
        await db.SaveChangesAsync();
        var recipient = new BulkRecipient
        {
            BulkSendId = send.Id, ClientId = clientId, Name = "Patient", Address = $"patient{clientId}.{send.Id}@example.com",
            Status = BulkRecipientStatus.Sent, ProcessedAtUtc = sentAtUtc,
        };
        var token = UnsubscribeLinks.Issue(recipient, sentAtUtc);
        db.BulkRecipients.Add(recipient);
        await db.SaveChangesAsync();
        return (recipient, token);
    }

    public static async Task<Client> ClientAsync(Func<Task<PortalDbContext>> dbAsync, int id)
    {
        await using var db = await dbAsync();
        return await db.Clients.AsNoTracking().SingleAsync(c => c.Id == id);
    }

    public static async Task<BulkRecipient> RecipientAsync(Func<Task<PortalDbContext>> dbAsync, long id)
    {
        await using var db = await dbAsync();
        return await db.BulkRecipients.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    public static async Task<List<AuditEvent>> UnsubscribeAuditAsync(Func<Task<PortalDbContext>> dbAsync, int clientId)
    {
        await using var db = await dbAsync();
        return await db.AuditEvents.AsNoTracking()
            .Where(e => e.ClientId == clientId && e.Action == PortalApp.Auditing.AuditActions.PromotionalUnsubscribe).OrderBy(e => e.Id).ToListAsync();
    }
}
