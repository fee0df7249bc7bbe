using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Messaging;

/// <summary>The patient's side of secure messages. The client id always comes from the signed-in account, never from the request.</summary>
public sealed class PatientMessagingService(IDbContextFactory<PortalDbContext> dbFactory, MessagingEvents events, ClinicClock clock, AuditLog audit)
{
    public async Task<IReadOnlyList<ConversationSummary>> ListAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ConversationQueries.ListAsync(db, clientId, ct);
    }

    public async Task<int> UnreadAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ConversationMessages.CountAsync(m => m.Conversation.ClientId == clientId && !m.FromPatient && m.ReadByPatientAtUtc == null, ct);
    }

    /// <returns>null when the conversation is not this patient's (the page answers 404).</returns>
    public async Task<ConversationView?> OpenAsync(int clientId, int conversationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await ConversationQueries.GetAsync(db, clientId, conversationId, ct);
        if (view is not null && await ConversationQueries.MarkReadAsync(db, clientId, conversationId, byPatient: true, clock.UtcNow, ct) > 0)
            events.Publish(clientId);
        return view;
    }

    public async Task<MessageSendResult?> ReplyAsync(int clientId, int conversationId, string? body, string authorName, string? onBehalfOfName = null, CancellationToken ct = default)
    {
        if (MessagingRules.Body(body) is { } problem)
            return new MessageSendResult.Refused(problem);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversation = await db.Conversations.SingleOrDefaultAsync(c => c.Id == conversationId && c.ClientId == clientId, ct);
        if (conversation is null)
            return null;
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == clientId, ct);
        if (client.IsEndedOn(await clock.TodayAsync(ct)))
        {
            audit.Add(db, null, AuditActions.PortalReply, clientId, AuditOutcome.Refused, "Client end-dated");
            await db.SaveChangesAsync(ct);
            return new MessageSendResult.Refused(MessagingRules.Ended);
        }
        if (!conversation.AllowReplies)
            return new MessageSendResult.Refused(MessagingRules.NoReplies);
        var now = clock.UtcNow;
        conversation.LastMessageAtUtc = now;
        db.ConversationMessages.Add(new ConversationMessage { ConversationId = conversation.Id, FromPatient = true, AuthorName = authorName, OnBehalfOfName = onBehalfOfName, Body = body!.Trim(), SentAtUtc = now });
        if (onBehalfOfName is not null)
            audit.Add(db, null, AuditActions.PortalReply, clientId, AuditOutcome.Succeeded, $"Sent by caregiver {authorName}");
        await db.SaveChangesAsync(ct);
        events.Publish(clientId);
        return new MessageSendResult.Sent(conversation.Id);
    }
}
