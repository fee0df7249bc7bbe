namespace PortalApp.Data;

/// <summary>A secure-message thread between the clinic and one patient.</summary>
public class Conversation
{
    public int Id { get; set; }
    public int ClientId { get; set; }
    public string Subject { get; set; } = "";

    /// <summary>Whether the patient may answer in this thread (staff decide when they start it).</summary>
    public bool AllowReplies { get; set; } = true;

    public DateTime CreatedAtUtc { get; set; }
    public string CreatedByName { get; set; } = "";
    public DateTime LastMessageAtUtc { get; set; }
    public List<ConversationMessage> Messages { get; set; } = [];
}

public class ConversationMessage
{
    public long Id { get; set; }
    public int ConversationId { get; set; }
    public Conversation Conversation { get; set; } = null!;
    public bool FromPatient { get; set; }
    public string AuthorName { get; set; } = "";

    /// <summary>Set when a caregiver wrote from the patient's side: shown as "sent by {author} on behalf of {this}".</summary>
    public string? OnBehalfOfName { get; set; }
    public string Body { get; set; } = "";
    public DateTime SentAtUtc { get; set; }
    public DateTime? ReadByPatientAtUtc { get; set; }
    public DateTime? ReadByStaffAtUtc { get; set; }
}
