using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Messaging;

/// <summary>Staff side of secure messages: start a conversation, reply, read. Each new message to the patient also emails a notice that holds no clinical content.</summary>
public sealed class StaffMessagingService(
    IDbContextFactory<PortalDbContext> dbFactory, MessageNotifier notifier, MessagingEvents events, ClinicClock clock, AuditLog audit,
    ViewAudit views, TemplateRenderer renderer, ClinicSettingsService clinic)
{
    public async Task<IReadOnlyList<ConversationSummary>> ListAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ConversationQueries.ListAsync(db, clientId, ct);
    }

    /// <summary>The conversation as a staff member opens it: the open is recorded in the audit log.</summary>
    public async Task<ConversationView?> ViewAsync(int clientId, int conversationId, StaffActor viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var view = await ReadAsync(db, clientId, conversationId, ct);
        if (view is not null)
            await views.RecordAsync(db, viewer, AuditActions.ConversationView, clientId, $"Conversation {conversationId}", ct);
        return view;
    }

    /// <summary>An open conversation read again (a reply arrived, staff replied): not a new view.</summary>
    public async Task<ConversationView?> OpenAsync(int clientId, int conversationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ReadAsync(db, clientId, conversationId, ct);
    }

    private async Task<ConversationView?> ReadAsync(PortalDbContext db, int clientId, int conversationId, CancellationToken ct)
    {
        var view = await ConversationQueries.GetAsync(db, clientId, conversationId, ct);
        if (view is not null && await ConversationQueries.MarkReadAsync(db, clientId, conversationId, byPatient: false, clock.UtcNow, ct) > 0)
            events.Publish(clientId);
        return view;
    }

    /// <summary>The chosen Portal message template with this patient's data, as text for the composer to edit.</summary>
    public async Task<(string Subject, string Body)?> DraftFromTemplateAsync(int clientId, int templateId, StaffActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, ct);
        var template = await db.MessageTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId && t.Kind == TemplateKind.PortalMessage, ct);
        if (client is null || template is null)
            return null;
        var settings = await clinic.GetAsync(ct);
        var model = TemplateEmails.ModelFor(client.FirstName, client.PreferredName, client.LastName, settings) with { StaffName = actor.DisplayName };
        return await renderer.RenderAsync(template.Subject, template.Body, model) is TemplateRenderResult.Rendered { Template: var t }
            ? (t.Subject, t.BodyText)
            : null;
    }

    public async Task<MessageSendResult> StartAsync(int clientId, string? subject, string? body, bool allowReplies, StaffActor actor, CancellationToken ct = default)
    {
        if ((MessagingRules.Subject(subject) ?? MessagingRules.Body(body)) is { } problem)
            return new MessageSendResult.Refused(problem);
        return await AddAsync(clientId, null, subject!.Trim(), body!, allowReplies, actor, ct);
    }

    public async Task<MessageSendResult> ReplyAsync(int clientId, int conversationId, string? body, StaffActor actor, CancellationToken ct = default)
    {
        if (MessagingRules.Body(body) is { } problem)
            return new MessageSendResult.Refused(problem);
        return await AddAsync(clientId, conversationId, null, body!, true, actor, ct);
    }

    private async Task<MessageSendResult> AddAsync(int clientId, int? conversationId, string? subject, string body, bool allowReplies, StaffActor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, ct);
        if (client is null)
            return new MessageSendResult.Refused("This client no longer exists.");
        if (client.IsEndedOn(await clock.TodayAsync(ct)))
        {
            audit.Add(db, actor, AuditActions.MessageSend, clientId, AuditOutcome.Refused, "Client end-dated");
            await db.SaveChangesAsync(ct);
            return new MessageSendResult.Refused(MessagingRules.Ended);
        }
        var readers = await PortalReaders.ForPatientAsync(db, clientId, await clock.TodayAsync(ct), ct);
        if (readers.Count == 0)
            return new MessageSendResult.Refused(MessagingRules.NotRegistered);

        Conversation? conversation;
        if (conversationId is { } id)
        {
            conversation = await db.Conversations.SingleOrDefaultAsync(c => c.Id == id && c.ClientId == clientId, ct);
            if (conversation is null)
                return new MessageSendResult.Refused("This conversation no longer exists.");
            var now = clock.UtcNow;
            conversation.LastMessageAtUtc = now;
            conversation.Messages.Add(new ConversationMessage { FromPatient = false, AuthorName = actor.DisplayName, Body = body.Trim(), SentAtUtc = now });
            await notifier.QueueAsync(db, client, readers, ct);
        }
        else
        {
            conversation = await AddConversationAsync(db, client, readers, subject!, body, allowReplies, actor.DisplayName, ct);
        }
        // That a message went out and to whom; never what it says.
        audit.Add(db, actor, AuditActions.MessageSend, clientId, AuditOutcome.Succeeded, conversationId is null ? "New conversation" : $"Conversation {conversationId}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DatabaseFailures.IsStorageProblem(ex))
        {
            return new MessageSendResult.Refused(DatabaseFailures.Message);
        }
        Committed(clientId);
        return new MessageSendResult.Sent(conversation.Id);
    }

    /// <summary>
    /// A new conversation with its first message from the clinic, and its notices to <paramref name="readers"/>, added to
    /// the caller's DbContext and not saved: for a feature that commits the message with rows of its own (intake forms
    /// and their assignments). The caller checks the client (not end-dated, readable) first, saves, then calls
    /// <see cref="Committed"/>.
    /// </summary>
    public async Task<Conversation> AddConversationAsync(PortalDbContext db, Client client, IReadOnlyList<PortalReader> readers,
        string subject, string body, bool allowReplies, string authorName, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var conversation = db.Conversations.Add(new Conversation
        {
            ClientId = client.Id, Subject = subject.Trim(), AllowReplies = allowReplies, CreatedAtUtc = now, CreatedByName = authorName, LastMessageAtUtc = now,
        }).Entity;
        conversation.Messages.Add(new ConversationMessage { FromPatient = false, AuthorName = authorName, Body = body.Trim(), SentAtUtc = now });
        await notifier.QueueAsync(db, client, readers, ct);
        return conversation;
    }

    /// <summary>After a message is committed: the dispatcher sends its notices now, and open pages show it.</summary>
    public void Committed(int clientId)
    {
        notifier.Wake();
        events.Publish(clientId);
    }
}
