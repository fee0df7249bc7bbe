using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Features.Bulk.Sends;
using PortalApp.Tests.TestSupport;
using static PortalApp.Tests.Features.Bulk.Sends.BulkSendSeed;

namespace PortalApp.Tests.Features.Bulk.Sends;

/// <summary>/bulk and /bulk/{id} over the real services. The clock: Wednesday 4 March 2026, 10:00 in Toronto; the undo window 5 minutes.</summary>
public sealed class BulkSendPagesTests : PortalBunitContext
{
    private DateTime Now => Host.Time.GetUtcNow().UtcDateTime;

    private IRenderedComponent<MudTestHost> SendPage(long id) => RenderWithProviders<BulkSendPage>((nameof(BulkSendPage.Id), id));

    /// <summary>The buttons offered; while an action is still under way (its buttons disabled) none count as offered.</summary>
    private static string Buttons(IRenderedComponent<MudTestHost> page)
    {
        var buttons = page.FindAll("[data-testid=bulk-actions] button");
        return buttons.Any(b => b.HasAttribute("disabled")) ? "(busy)" : string.Join(",", buttons.Select(b => b.TextContent.Trim()));
    }

    /// <summary>Found and clicked in one go: a notice from the service may re-render the page in between.</summary>
    private static Task Click(IRenderedComponent<MudTestHost> page, string button) =>
        page.InvokeAsync(() => page.FindAll("[data-testid=bulk-actions] button").Single(b => b.TextContent.Trim() == button).Click());

    private async Task<BulkSendState> StateAsync(long id)
    {
        await using var db = await Host.DbAsync();
        return await db.BulkSends.Where(b => b.Id == id).Select(b => b.State).SingleAsync();
    }

    [Fact]
    public async Task The_list_says_where_each_send_stands_in_words_newest_first()
    {
        var finished = await CreateAsync(Host, "Finished one", 1, "F");
        await SetStateAsync(Host, finished, BulkSendState.Finished);
        var cancelled = await CreateAsync(Host, "Cancelled one", 1, "C");
        await Host.Scoped<BulkSendService>().CancelAsync(cancelled, Staff.FrontDesk);
        var sending = await CreateAsync(Host, "Sending one", 4, "S");
        await SetStateAsync(Host, sending, BulkSendState.Sending);
        await SetOutcomesAsync(Host, sending, BulkOutcomeSeed.Sent, BulkOutcomeSeed.Skipped);
        var paused = await CreateAsync(Host, "Paused one", 2, "Q");
        await SetStateAsync(Host, paused, BulkSendState.Paused);
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var undoable = await CreateAsync(Host, "Undoable one", 1, "U");
        await using (var db = await Host.DbAsync())
        {
            // Scheduled for Friday 6 March, 9:00 in Toronto.
            var friday = new DateTime(2026, 3, 6, 14, 0, 0, DateTimeKind.Utc);
            var later = await CreateAsync(Host, "Later one", 1, "L");
            await db.BulkSends.Where(b => b.Id == later).ExecuteUpdateAsync(u => u.SetProperty(b => b.ScheduledForUtc, friday).SetProperty(b => b.StartsAtUtc, friday));
        }

        var page = RenderWithProviders<BulkSendsPage>();

        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll("tbody tr").Count));
        var states = page.FindAll("tbody tr").Select(r => (r.QuerySelector("td[data-label=Name]")!.TextContent.Trim(), r.QuerySelector("td[data-label=State]")!.TextContent.Trim())).ToList();
        Assert.Equal(
        [
            ("Later one", "Scheduled for Fri 6 Mar 2026, 9:00 AM"),
            ("Undoable one", "Undo window until 10:06 AM"),
            ("Paused one", "Paused at 0 of 2"),
            ("Sending one", "Sending 2 of 4"),
            ("Cancelled one", "Cancelled"),
            ("Finished one", "Finished"),
        ], states);
        Assert.Equal($"/bulk/{undoable}", page.Find("tbody tr:nth-child(2) a").GetAttribute("href"));
        Assert.Contains("Email", page.Find("tbody tr").TextContent);
        Assert.Contains("Care and service", page.Find("tbody tr").TextContent);
        Assert.Contains("Fran Desk", page.Find("tbody tr").TextContent);
        Assert.Equal("/bulk/new", page.FindAll("a").Single(a => a.TextContent.Trim() == "New bulk message").GetAttribute("href"));
        Assert.Equal("Bulk messaging", page.Find("h1").TextContent.Trim());
    }

    [Fact]
    public async Task The_send_page_shows_its_progress_with_accessible_text_and_each_outcome_counted()
    {
        var id = await CreateAsync(Host, "Closed on Friday", 9);
        await SetStateAsync(Host, id, BulkSendState.Sending);
        await SetOutcomesAsync(Host, id, BulkOutcomeSeed.Sent, BulkOutcomeSeed.Delivered, BulkOutcomeSeed.Bounced, BulkOutcomeSeed.Skipped,
            BulkOutcomeSeed.NotRendered, BulkOutcomeSeed.DeliveredThenUnsubscribed, BulkOutcomeSeed.Cancelled);

        var page = SendPage(id);

        page.WaitForAssertion(() => Assert.Equal("Closed on Friday", page.Find("h1").TextContent.Trim()));
        var bar = page.Find("[role=progressbar]");
        Assert.Equal("7 of 9 processed", bar.GetAttribute("aria-valuetext"));
        Assert.Equal("7 of 9 processed", page.Find($"#{bar.GetAttribute("aria-labelledby")}").TextContent.Trim());
        var counts = page.FindAll(".bulk-counts li").Select(l => l.TextContent.Trim()).ToList();
        Assert.Equal(["1 sent", "2 delivered", "1 skipped", "2 failed", "1 cancelled", "1 unsubscribed"], counts);
        Assert.Equal("Sending 7 of 9", page.Find("[data-testid=bulk-state]").TextContent.Trim());
        Assert.Contains("Hello {{ patient.first_name }}, the clinic is closed on Friday.", page.Find("[data-testid=bulk-message]").TextContent);
        Assert.Contains("We are closed on Friday", page.Find("[data-testid=bulk-message]").TextContent);
        Assert.Equal("Pause,Cancel", Buttons(page));
    }

    [Theory]
    [InlineData(BulkSendState.Sending, "Pause,Cancel")]
    [InlineData(BulkSendState.Paused, "Resume,Cancel")]
    [InlineData(BulkSendState.Finished, "")]
    [InlineData(BulkSendState.Cancelled, "")]
    public async Task Each_state_offers_its_own_buttons(BulkSendState state, string buttons)
    {
        var id = await CreateAsync(Host, "Closed on Friday", 2);
        await SetStateAsync(Host, id, state);

        var page = SendPage(id);

        page.WaitForAssertion(() => Assert.Equal(buttons, Buttons(page)));
        Assert.Empty(page.FindAll("[data-testid=undo-until]"));
    }

    [Fact]
    public async Task Undo_in_the_window_shows_its_deadline_and_stops_the_send()
    {
        var id = await CreateAsync(Host, "Closed on Friday", 2);
        var page = SendPage(id);
        page.WaitForAssertion(() => Assert.Equal("Undo", Buttons(page)));
        Assert.Equal("Undo until 10:05 AM (5 minutes left)", page.Find("[data-testid=undo-until]").TextContent.Trim());

        await Click(page, "Undo");

        page.WaitForAssertion(() => Assert.Contains("Undone: nobody will get this message.", page.Markup));
        page.WaitForAssertion(() => Assert.Equal("Cancelled", page.Find("[data-testid=bulk-state]").TextContent.Trim()));
        Assert.Equal(BulkSendState.Cancelled, await StateAsync(id));
        await using var db = await Host.DbAsync();
        Assert.True(await db.AuditEvents.AnyAsync(a => a.Action == "bulk.undo" && a.StaffUserId == Staff.FrontDesk.UserId));
    }

    [Fact]
    public async Task Pause_then_resume_go_through_the_service()
    {
        var id = await CreateAsync(Host, "Closed on Friday", 2);
        await SetStateAsync(Host, id, BulkSendState.Sending);
        var page = SendPage(id);
        page.WaitForAssertion(() => Assert.Equal("Pause,Cancel", Buttons(page)));

        await Click(page, "Pause");
        page.WaitForAssertion(() => Assert.Equal("Resume,Cancel", Buttons(page)));
        Assert.Equal(BulkSendState.Paused, await StateAsync(id));
        Assert.Contains("Paused by", page.Markup);

        await Click(page, "Resume");
        page.WaitForAssertion(() => Assert.Equal("Pause,Cancel", Buttons(page)));
        Assert.Equal(BulkSendState.Sending, await StateAsync(id));
    }

    [Fact]
    public async Task Cancel_asks_first_and_keeping_it_changes_nothing()
    {
        var id = await CreateAsync(Host, "Closed on Friday", 2);
        await SetStateAsync(Host, id, BulkSendState.Sending);
        var page = SendPage(id);
        page.WaitForAssertion(() => Assert.Equal("Pause,Cancel", Buttons(page)));

        await Click(page, "Cancel");
        page.WaitForAssertion(() => Assert.Contains("Patients not yet reached will not get it.", page.Find(".mud-dialog").TextContent));
        Assert.Contains("Cancel this send?", page.Find(".mud-dialog").TextContent);
        await page.InvokeAsync(() => page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Keep it").Click());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-dialog")));
        Assert.Equal(BulkSendState.Sending, await StateAsync(id));

        await Click(page, "Cancel");
        page.WaitForAssertion(() => page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel the send").Click());

        page.WaitForAssertion(() => Assert.Equal("Cancelled", page.Find("[data-testid=bulk-state]").TextContent.Trim()));
        Assert.Equal(BulkSendState.Cancelled, await StateAsync(id));
        Assert.Equal("", Buttons(page));
    }

    [Fact]
    public async Task A_refusal_from_the_service_is_shown_and_the_page_catches_up()
    {
        var id = await CreateAsync(Host, "Closed on Friday", 2);
        await SetStateAsync(Host, id, BulkSendState.Sending);
        var page = SendPage(id);
        page.WaitForAssertion(() => Assert.Equal("Pause,Cancel", Buttons(page)));
        // It finished in the meantime, and no notice reached this page.
        await SetStateAsync(Host, id, BulkSendState.Finished);

        await Click(page, "Pause");

        page.WaitForAssertion(() => Assert.Contains("Only a send that has not finished can be paused.", page.Markup));
        page.WaitForAssertion(() => Assert.Equal("Finished", page.Find("[data-testid=bulk-state]").TextContent.Trim()));
        Assert.Equal("", Buttons(page));
    }

    [Fact]
    public async Task Another_staff_members_change_shows_without_a_reload()
    {
        var id = await CreateAsync(Host, "Closed on Friday", 3);
        await SetStateAsync(Host, id, BulkSendState.Sending);
        var page = SendPage(id);
        page.WaitForAssertion(() => Assert.Equal("0 of 3 processed", page.Find("[role=progressbar]").GetAttribute("aria-valuetext")));

        await SetOutcomesAsync(Host, id, BulkOutcomeSeed.Sent, BulkOutcomeSeed.Sent);
        Host.Get<BulkSendEvents>().Publish(id);
        page.WaitForAssertion(() => Assert.Equal("2 of 3 processed", page.Find("[role=progressbar]").GetAttribute("aria-valuetext")));

        await Host.Scoped<BulkSendService>().PauseAsync(id, Staff.Admin);
        page.WaitForAssertion(() => Assert.Equal("Resume,Cancel", Buttons(page)));
    }

    [Fact]
    public async Task A_practitioner_is_denied_the_list()
    {
        await CreateAsync(Host, "Closed on Friday", 1);
        SignInAs(Staff.Practitioner);

        var list = RenderWithProviders<BulkSendsPage>();

        Assert.Contains("You can't open this page", list.Find("h1").TextContent);
        Assert.DoesNotContain("Closed on Friday", list.Markup);
    }

    [Fact]
    public async Task A_practitioner_is_denied_the_send_page_and_the_queries()
    {
        var id = await CreateAsync(Host, "Closed on Friday", 1);
        SignInAs(Staff.Practitioner);

        var send = SendPage(id);

        Assert.Contains("You can't open this page", send.Find("h1").TextContent);
        Assert.DoesNotContain("Closed on Friday", send.Markup);
        var queries = Host.Scoped<BulkSendQueries>();
        Assert.Null(await queries.ListAsync(Staff.Practitioner, 0, 25));
        Assert.Null(await queries.GetAsync(id, Staff.Practitioner));
        Assert.Null(await queries.ReportAsync(id, null, 0, 25, Staff.Practitioner));
        Assert.Equal(BulkSendService.NotAllowed, Assert.IsType<Outcome.Refused>(await Host.Scoped<BulkSendService>().PauseAsync(id, Staff.Practitioner)).Reason);
    }

    [Fact]
    public async Task The_report_pages_in_the_database_and_filters_by_outcome()
    {
        var id = await CreateAsync(Host, "Closed on Friday", 30);
        await SetStateAsync(Host, id, BulkSendState.Sending);
        await SetOutcomesAsync(Host, id, BulkOutcomeSeed.Delivered, BulkOutcomeSeed.Bounced, BulkOutcomeSeed.Skipped, BulkOutcomeSeed.DeliveredThenUnsubscribed);
        var page = SendPage(id);

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=bulk-report] tbody tr").Count));
        var rows = page.FindAll("[data-testid=bulk-report] tbody tr");
        Assert.Contains("P000 Patient", rows[0].TextContent);
        Assert.Equal("Delivered", rows[0].QuerySelector("td[data-label=Outcome]")!.TextContent.Trim());
        Assert.Equal("Failed: 550 Mailbox unavailable", rows[1].QuerySelector("td[data-label=Outcome]")!.TextContent.Trim());
        Assert.Equal("Skipped: Opted out of emails", rows[2].QuerySelector("td[data-label=Outcome]")!.TextContent.Trim());
        Assert.Contains("Unsubscribed 4 Mar 2026", rows[3].QuerySelector("td[data-label=Outcome]")!.TextContent);
        Assert.Equal("Not reached yet", rows[4].QuerySelector("td[data-label=Outcome]")!.TextContent.Trim());
        Assert.Contains("1-25 of 30", page.Find("[data-testid=bulk-report] .mud-table-pagination").TextContent);

        page.Find("[data-testid=bulk-report] .mud-select .mud-input-control").MouseDown();
        page.WaitForAssertion(() => page.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "Failed").Click());

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=bulk-report] tbody tr")));
        Assert.Contains("P001 Patient", page.Find("[data-testid=bulk-report] tbody tr").TextContent);

        var queries = Host.Scoped<BulkSendQueries>();
        var second = (await queries.ReportAsync(id, null, 1, 25, Staff.FrontDesk))!;
        Assert.Equal((30, 5), (second.TotalCount, second.Items.Count));
        Assert.Equal("P025 Patient", second.Items[0].Name);
        Assert.Equal(26, (await queries.ReportAsync(id, BulkOutcome.Waiting, 0, 100, Staff.FrontDesk))!.TotalCount);
        Assert.Equal(2, (await queries.ReportAsync(id, BulkOutcome.Delivered, 0, 100, Staff.FrontDesk))!.TotalCount);
        Assert.Equal(1, (await queries.ReportAsync(id, BulkOutcome.Unsubscribed, 0, 100, Staff.FrontDesk))!.TotalCount);
    }

    [Fact]
    public async Task The_report_filter_and_the_summary_counts_agree_for_every_outcome()
    {
        var id = await CreateAsync(Host, "Closed on Friday", 9);
        await SetOutcomesAsync(Host, id, BulkOutcomeSeed.Sent, BulkOutcomeSeed.Delivered, BulkOutcomeSeed.Bounced, BulkOutcomeSeed.Skipped,
            BulkOutcomeSeed.NotRendered, BulkOutcomeSeed.DeliveredThenUnsubscribed, BulkOutcomeSeed.Cancelled,
            new BulkOutcomeSeed(BulkRecipientStatus.Sent, OutboundMessageStatus.Withdrawn));
        var queries = Host.Scoped<BulkSendQueries>();

        var counts = (await queries.GetAsync(id, Staff.Admin))!.Counts;

        foreach (var outcome in Enum.GetValues<BulkOutcome>())
            Assert.Equal(counts[outcome], (await queries.ReportAsync(id, outcome, 0, 100, Staff.Admin))!.TotalCount);
        Assert.Equal(new BulkCounts(Waiting: 1, Sent: 1, Delivered: 2, Skipped: 1, Failed: 2, Cancelled: 2, Unsubscribed: 1), counts);
    }
}
