namespace PortalApp.Features.Messaging;

public sealed record ConversationSummary(int Id, string Subject, DateTime LastMessageAtUtc, bool AllowReplies, int UnreadForStaff, int UnreadForPatient);

public sealed record MessageView(long Id, bool FromPatient, string AuthorName, string? OnBehalfOfName, string Body, DateTime SentAtUtc, DateTime? ReadByPatientAtUtc)
{
    /// <summary>"Anna Smith", or "Sent by Anna Smith on behalf of Emma Smith" when a caregiver wrote.</summary>
    public string Byline => OnBehalfOfName is null ? AuthorName : $"Sent by {AuthorName} on behalf of {OnBehalfOfName}";
}

public sealed record ConversationView(int Id, string Subject, bool AllowReplies, IReadOnlyList<MessageView> Messages);

public abstract record MessageSendResult
{
    public sealed record Sent(int ConversationId) : MessageSendResult;
    public sealed record Refused(string Reason) : MessageSendResult;
}

public static class MessagingRules
{
    public const int MaxBodyLength = 5_000;
    public const int MaxSubjectLength = 200;
    public const string Ended = "This client card has an end date: the patient's messages are kept read-only and no new message can be added.";
    public const string NotRegistered = "Nobody can read this patient's portal messages yet: they have no portal account and no caregiver with full access. Send a patient portal invite first.";
    public const string NoReplies = "The clinic has closed this conversation for replies.";

    public static string? Body(string? body) =>
        string.IsNullOrWhiteSpace(body) ? "Write a message."
        : body.Length > MaxBodyLength ? $"A message can be at most {MaxBodyLength:N0} characters." : null;

    public static string? Subject(string? subject) =>
        string.IsNullOrWhiteSpace(subject) ? "Give the message a subject."
        : subject.Length > MaxSubjectLength ? $"A subject can be at most {MaxSubjectLength} characters." : null;
}

/// <summary>
/// Tells open pages (the staff tab, the patient's conversation) that a client's messages changed. On PostgreSQL the
/// change also goes to the other instances (<see cref="Infrastructure.InstanceNotifications"/>), whose relay raises it there.
/// </summary>
public sealed class MessagingEvents(Infrastructure.InstanceNotifications? otherInstances = null)
{
    public event Action<int>? Changed;

    public void Publish(int clientId)
    {
        Changed?.Invoke(clientId);
        otherInstances?.MessagesChanged(clientId);
    }

    internal void RaiseFromOtherInstance(int clientId) => Changed?.Invoke(clientId);
}
