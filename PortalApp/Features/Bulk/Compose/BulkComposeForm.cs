using PortalApp.Data;

namespace PortalApp.Features.Bulk.Compose;

/// <summary>What staff have typed and chosen on the compose page so far; the page binds to it, the request is made from it.</summary>
public sealed class BulkComposeForm
{
    public string Title { get; set; } = "";
    public BulkPurpose Purpose { get; set; } = BulkPurpose.Care;
    public BulkChannel Channel { get; set; } = BulkChannel.Portal;
    public BulkAudienceKind AudienceKind { get; set; } = BulkAudienceKind.PortalAccounts;
    public DateTime? FromDay { get; set; }
    public DateTime? ToDay { get; set; }
    public int? PractitionerId { get; set; }
    public int? AppointmentTypeId { get; set; }
    public List<BulkPickedPatient> Picked { get; } = [];
    public int? TemplateId { get; set; }
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public bool Later { get; set; }
    public DateTime? LaterDay { get; set; }
    public TimeSpan? LaterTime { get; set; }

    public BulkAudienceFilter Audience() => AudienceKind switch
    {
        BulkAudienceKind.Appointments => new BulkAudienceFilter(AudienceKind, Day(FromDay), Day(ToDay), PractitionerId, AppointmentTypeId),
        BulkAudienceKind.HandPicked => new BulkAudienceFilter(AudienceKind, ClientIds: Picked.Select(p => p.Id).ToList()),
        _ => new BulkAudienceFilter(AudienceKind),
    };

    /// <summary>The message as written: an invite's words are its template's, chosen by <see cref="TemplateId"/>.</summary>
    public BulkDraft Draft() => Channel == BulkChannel.Invite
        ? new BulkDraft(Channel, Purpose, TemplateId, null, null, Title)
        : new BulkDraft(Channel, Purpose, null, BulkMessageRules.HasSubject(Channel) ? Subject : null, Body, Title);

    public BulkSendRequest Request(string idempotencyKey, DateTime? scheduledForUtc, int? confirmedCount)
    {
        var draft = Draft();
        return new BulkSendRequest(idempotencyKey, Title, Channel, Purpose, Audience(), draft.TemplateId, draft.Subject, draft.Body, scheduledForUtc, confirmedCount);
    }

    private static DateOnly? Day(DateTime? day) => day is { } d ? DateOnly.FromDateTime(d) : null;
}

/// <summary>A patient staff added to a hand-picked audience.</summary>
public sealed record BulkPickedPatient(int Id, string Name);

/// <summary>A message as composed, before it is a send: what the preview and the test render.</summary>
public sealed record BulkDraft(BulkChannel Channel, BulkPurpose Purpose, int? TemplateId, string? Subject, string? Body, string? Title = null);
