using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Channels;
using PortalApp.Features.Replies;
using PortalApp.Tests.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Replies;

[Trait("Providers", "Both")]
public sealed class ReplyReviewServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private string _shared = "";
    private Client _jane = null!, _sam = null!;

    private ReplyReviewService Replies => _host.Scoped<ReplyReviewService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _shared = ReminderTestData.NewMobile();
        _jane = await ReminderTestData.AddClientAsync(_host.DbAsync, "Jane", "Doe", _shared);
        _sam = await ReminderTestData.AddClientAsync(_host.DbAsync, "Sam", "Doe", _shared);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task TextAsync(string from, string body)
    {
        await _host.Scoped<InboundReplies>().ReceiveSmsAsync(from, "+14165550199", body, "SM" + Guid.NewGuid().ToString("N"));
        _host.Time.Advance(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task The_list_shows_what_was_not_understood_oldest_first_with_every_card_that_has_the_number()
    {
        var stranger = ReminderTestData.NewMobile();
        await TextAsync(_shared, "CANCEL");
        await TextAsync(_shared, "STOP");
        await TextAsync(stranger, "Who is this?");

        var list = (await Replies.ListAsync(1, Staff.FrontDesk, record: true))!;

        Assert.Equal(2, list.Total);
        Assert.Equal(["CANCEL", "Who is this?"], list.Rows.Select(r => r.Text));
        Assert.Equal(["Jane Doe", "Sam Doe"], list.Rows[0].Clients.Select(c => c.Name));
        Assert.Equal($"(416) 555-{_shared[8..]}", list.Rows[0].From);
        Assert.Empty(list.Rows[1].Clients);
        Assert.Equal(2, await Replies.CountAsync());
        await using var db = await _host.DbAsync();
        var views = await db.AuditEvents.AsNoTracking().Where(e => e.Action == AuditActions.RepliesView).Select(e => new { e.ClientId, e.StaffUserId }).ToListAsync();
        Assert.Equal([_jane.Id, _sam.Id], views.Select(v => v.ClientId!.Value).Order());
        Assert.All(views, v => Assert.Equal(Staff.FrontDesk.UserId, v.StaffUserId));
    }

    [Fact]
    public async Task A_practitioner_can_neither_read_nor_mark_the_replies()
    {
        await TextAsync(_shared, "CANCEL");
        var id = (await Replies.ListAsync(1, Staff.Admin, record: false))!.Rows.Single().Id;

        Assert.Null(await Replies.ListAsync(1, Staff.Practitioner, record: true));
        Assert.Equal(ReplyReviewService.NotAllowed, Assert.IsType<Outcome.Refused>(await Replies.MarkReviewedAsync(id, Staff.Practitioner)).Reason);

        await using var db = await _host.DbAsync();
        Assert.Null((await db.InboundMessages.AsNoTracking().SingleAsync()).ReviewedAtUtc);
        Assert.False(await db.AuditEvents.AnyAsync(e => e.StaffUserId == Staff.Practitioner.UserId));
    }

    [Fact]
    public async Task Marking_reviewed_takes_the_reply_off_the_list_and_is_audited_on_its_client()
    {
        await TextAsync(_shared, "CANCEL");
        var id = (await Replies.ListAsync(1, Staff.FrontDesk, record: false))!.Rows.Single().Id;

        Assert.IsType<Outcome.Done>(await Replies.MarkReviewedAsync(id, Staff.FrontDesk));

        Assert.Equal(0, (await Replies.ListAsync(1, Staff.FrontDesk, record: false))!.Total);
        await using var db = await _host.DbAsync();
        var row = await db.InboundMessages.AsNoTracking().SingleAsync();
        Assert.Equal((_host.Time.GetUtcNow().UtcDateTime, Staff.FrontDesk.DisplayName), (row.ReviewedAtUtc, row.ReviewedByName));
        var audit = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditActions.ReplyReview);
        Assert.Equal((Staff.FrontDesk.UserId, row.ClientId, $"Reply {id}"), (audit.StaffUserId, audit.ClientId, audit.Details));
    }

    [Fact]
    public async Task Staff_marking_the_same_reply_at_once_all_see_it_done_and_it_is_audited_once()
    {
        const int Racers = 6;
        await TextAsync(_shared, "CANCEL");
        var id = (await Replies.ListAsync(1, Staff.FrontDesk, record: false))!.Rows.Single().Id;
        using var barrier = new Barrier(Racers);

        var results = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => Task.Run(async () =>
        {
            var replies = _host.Scoped<ReplyReviewService>();
            barrier.SignalAndWait(TimeSpan.FromSeconds(30));
            return await replies.MarkReviewedAsync(id, new StaffActor($"desk-{i}", $"Desk {i}", StaffRoles.FrontDesk));
        })));

        Assert.All(results, r => Assert.IsType<Outcome.Done>(r));
        await using var db = await _host.DbAsync();
        var audit = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditActions.ReplyReview);
        Assert.Equal(audit.StaffDisplayName, (await db.InboundMessages.AsNoTracking().SingleAsync()).ReviewedByName);
    }
}
