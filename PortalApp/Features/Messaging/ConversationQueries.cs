using Microsoft.EntityFrameworkCore;
using PortalApp.Data;

namespace PortalApp.Features.Messaging;

/// <summary>Reads shared by the staff tab and the patient's portal; every query is scoped by the client id.</summary>
internal static class ConversationQueries
{
    public static Task<List<ConversationSummary>> ListAsync(PortalDbContext db, int clientId, CancellationToken ct) =>
        db.Conversations.AsNoTracking().Where(c => c.ClientId == clientId)
            .OrderByDescending(c => c.LastMessageAtUtc)
            .Select(c => new ConversationSummary(c.Id, c.Subject, c.LastMessageAtUtc, c.AllowReplies,
                c.Messages.Count(m => m.FromPatient && m.ReadByStaffAtUtc == null),
                c.Messages.Count(m => !m.FromPatient && m.ReadByPatientAtUtc == null)))
            .ToListAsync(ct);

    public static async Task<ConversationView?> GetAsync(PortalDbContext db, int clientId, int conversationId, CancellationToken ct)
    {
        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId && c.ClientId == clientId)
            .Select(c => new { c.Id, c.Subject, c.AllowReplies }).SingleOrDefaultAsync(ct);
        if (conversation is null)
            return null;
        var messages = await db.ConversationMessages.AsNoTracking().Where(m => m.ConversationId == conversationId)
            .OrderBy(m => m.SentAtUtc).ThenBy(m => m.Id)
            .Select(m => new MessageView(m.Id, m.FromPatient, m.AuthorName, m.OnBehalfOfName, m.Body, m.SentAtUtc, m.ReadByPatientAtUtc))
            .ToListAsync(ct);
        return new ConversationView(conversation.Id, conversation.Subject, conversation.AllowReplies, messages);
    }

    public static Task<int> MarkReadAsync(PortalDbContext db, int clientId, int conversationId, bool byPatient, DateTime now, CancellationToken ct) =>
        byPatient
            ? db.ConversationMessages.Where(m => m.ConversationId == conversationId && m.Conversation.ClientId == clientId && !m.FromPatient && m.ReadByPatientAtUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReadByPatientAtUtc, now), ct)
            : db.ConversationMessages.Where(m => m.ConversationId == conversationId && m.Conversation.ClientId == clientId && m.FromPatient && m.ReadByStaffAtUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReadByStaffAtUtc, now), ct);
}
