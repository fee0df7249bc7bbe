using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Features.Channels;
using PortalApp.Features.Replies;
using PortalApp.Tests.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Replies;

/// <summary>The Replies to review page as the front desk uses it.</summary>
public sealed class RepliesPageTests : PortalBunitContext
{
    protected override async Task SeedAsync()
    {
        var mobile = ReminderTestData.NewMobile();
        await ReminderTestData.AddClientAsync(Host.DbAsync, "Jane", "Doe", mobile);
        var replies = Host.Scoped<InboundReplies>();
        await replies.ReceiveSmsAsync(mobile, "+14165550199", "CANCEL", "SM1");
        Host.Time.Advance(TimeSpan.FromMinutes(3));
        await replies.ReceiveSmsAsync(mobile, "+14165550199", "Running 10 minutes late", "SM2");
    }

    [Fact]
    public async Task Each_reply_shows_who_sent_it_and_mark_reviewed_takes_it_off_the_list()
    {
        var page = RenderWithProviders<RepliesPage>();
        page.WaitForAssertion(() => Assert.Equal("2 replies wait for review, oldest first.", page.Find("[data-testid=replies-count]").TextContent.Trim()));
        var rows = page.FindAll("[data-testid=replies] tbody tr");
        Assert.Contains("CANCEL", rows[0].TextContent);
        Assert.Contains("Running 10 minutes late", rows[1].TextContent);
        Assert.Equal("/clients/", page.Find("[data-testid=replies] tbody tr a").GetAttribute("href")![..9]);

        page.FindAll("button").First(b => b.TextContent.Contains("Mark reviewed")).Click();

        page.WaitForAssertion(() => Assert.Equal("1 reply waits for review, oldest first.", page.Find("[data-testid=replies-count]").TextContent.Trim()));
        Assert.Contains("Marked reviewed.", page.Markup);
        await using var db = await Host.DbAsync();
        Assert.Equal("Fran Desk", (await db.InboundMessages.AsNoTracking().SingleAsync(m => m.Body == "CANCEL")).ReviewedByName);
    }
}
