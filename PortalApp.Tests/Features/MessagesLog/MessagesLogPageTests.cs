using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Channels;
using PortalApp.Features.MessagesLog;
using PortalApp.Tests.Features.Channels;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.MessagesLog;

public sealed class MessagesLogPageTests : PortalBunitContext
{
    private long _failedText;

    protected override async Task SeedAsync()
    {
        await using (var db = await Host.DbAsync())
        {
            var email = Host.Get<OutboundMessages>().EnqueueEmail(db,
                new OutgoingEmail("bounced@example.com", "Ben Bounce", "Your appointment", "<p>Hi</p>", "Hi", "reminder"), ClientLanguage.English);
            email.OutboxEmail!.Status = OutboxStatus.Failed;
            email.OutboxEmail.LastError = "550 5.1.1 Mailbox unavailable";
            await db.SaveChangesAsync();
        }
        _failedText = await Host.EnqueueTextAsync(to: "+15005550001");
        await using (var db = await Host.DbAsync())
        {
            var row = await db.OutboundMessages.SingleAsync(m => m.Id == _failedText);
            (row.Status, row.StatusDetail, row.Attempts) = (OutboundMessageStatus.Failed, "The number is not a valid phone number (21211).", 1);
            await db.SaveChangesAsync();
        }
    }

    [Fact]
    public void Shows_each_message_with_its_channel_recipient_status_and_the_reason_it_failed()
    {
        var page = RenderWithProviders<MessagesLogPage>();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("tbody tr");
            Assert.Equal(2, rows.Count);
            var text = rows[0].TextContent;
            Assert.Contains("Text message", text);
            Assert.Contains("Emma Smith", text);
            Assert.Contains("+15005550001", text);
            Assert.Contains("Failed", text);
            Assert.Contains("The number is not a valid phone number (21211).", text);
            Assert.Equal("Appointment reminder", rows[0].QuerySelector("td[data-label=Kind]")!.TextContent.Trim());
            Assert.Contains("550 5.1.1 Mailbox unavailable", rows[1].TextContent);
            Assert.Contains("Email", rows[1].TextContent);
        });
        Assert.Equal(["Channel", "Status"], page.FindAll("label").Select(l => l.TextContent.Trim()).Where(t => t is "Channel" or "Status"));
    }

    [Fact]
    public async Task A_message_whose_state_changes_is_shown_without_a_reload()
    {
        var page = RenderWithProviders<MessagesLogPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));

        var id = await Host.EnqueueTextAsync(to: "+14165550144");
        Host.Get<OutboundMessageEvents>().Publish(await Host.MessageAsync(id));

        page.WaitForAssertion(() => Assert.Contains("+14165550144", page.FindAll("tbody tr")[0].TextContent));
    }
}
