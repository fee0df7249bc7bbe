using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Schedule;
using PortalApp.Features.Templates;

namespace PortalApp.Features.Bulk.Compose;

public sealed record BulkComposeChoices(IReadOnlyList<PractitionerChoice> Practitioners, IReadOnlyList<AppointmentTypeChoice> Types, IReadOnlyList<TemplateSummary> Templates)
{
    public static readonly BulkComposeChoices None = new([], [], []);

    public IEnumerable<TemplateSummary> For(BulkChannel channel) => Templates.Where(t => t.Kind == BulkMessageRules.TemplateKindFor(channel));
}

/// <summary>
/// An audience as the compose page holds it: the counts, and at most <see cref="BulkComposeService.MaxShown"/> rows of each
/// list (an audience can be 20,000 patients; the page keeps a bounded part in the circuit, the send's report has them all).
/// </summary>
public sealed record BulkAudienceView(int Count, int ExcludedCount, IReadOnlyList<BulkAudienceMember> Included, IReadOnlyList<BulkAudienceMember> Excluded, string? Problem = null)
{
    public static BulkAudienceView Refused(string problem) => new(0, 0, [], [], problem);
}

/// <summary>The compose page's reads: its choices, a template to start from, and the audience. Front desk and admins only.</summary>
public sealed class BulkComposeService(BulkAudienceService audiences, ScheduleQueries schedule, TemplateService templates)
{
    public const int MaxShown = 200;

    public async Task<BulkComposeChoices> ChoicesAsync(StaffActor actor, CancellationToken ct = default)
    {
        if (!BulkSendService.MaySend(actor))
            return BulkComposeChoices.None;
        var booking = await schedule.ChoicesAsync(ct: ct);
        var kinds = Enum.GetValues<BulkChannel>().Select(BulkMessageRules.TemplateKindFor).ToHashSet();
        var usable = (await templates.ListAsync(ct: ct)).Where(t => kinds.Contains(t.Kind)).ToList();
        return new BulkComposeChoices(booking.Practitioners, booking.Types, usable);
    }

    /// <summary>A template's subject and text to start a message from, when it is of the channel's kind.</summary>
    public async Task<(string Subject, string Body)?> StartFromAsync(int templateId, BulkChannel channel, StaffActor actor, CancellationToken ct = default)
    {
        if (!BulkSendService.MaySend(actor) || channel == BulkChannel.Invite)
            return null;
        var template = await templates.GetAsync(templateId, ct);
        return template is not null && template.Kind == BulkMessageRules.TemplateKindFor(channel) ? (template.Subject, template.Body) : null;
    }

    public async Task<BulkAudienceView> AudienceAsync(BulkAudienceFilter filter, BulkChannel channel, BulkPurpose purpose, StaffActor actor, CancellationToken ct = default)
    {
        if (!BulkSendService.MaySend(actor))
            return BulkAudienceView.Refused(BulkSendService.NotAllowed);
        if ((BulkMessageRules.PurposeProblem(purpose, channel) ?? filter.Problem() ?? BulkAudienceFilter.ChannelProblem(filter.Kind, channel)) is { } problem)
            return BulkAudienceView.Refused(problem);
        var audience = await audiences.BuildAsync(filter, channel, purpose, ct);
        if (audience.Problem is { } tooLarge)
            return BulkAudienceView.Refused(tooLarge);
        return new BulkAudienceView(audience.Count, audience.Excluded.Count, [.. audience.Included.Take(MaxShown)], [.. audience.Excluded.Take(MaxShown)]);
    }
}
