using Bunit;
using PortalApp.Data;
using PortalApp.Features.EmailLog;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.EmailLog;

public sealed class EmailLogPageTests : PortalBunitContext
{
    protected override async Task SeedAsync()
    {
        await using var db = await Host.DbAsync();
        var now = Host.Time.GetUtcNow().UtcDateTime;
        db.OutboxEmails.AddRange(
            new OutboxEmail { ToAddress = "sent@example.com", Subject = "Went out", Status = OutboxStatus.Sent, Attempts = 1, CreatedAtUtc = now, NextAttemptAtUtc = now, SentAtUtc = now, MessageId = "a@x" },
            new OutboxEmail { ToAddress = "bounced@example.com", Subject = "Refused", Status = OutboxStatus.Failed, Attempts = 1, CreatedAtUtc = now, NextAttemptAtUtc = now, LastError = "550 5.1.1 Mailbox unavailable", MessageId = "b@x" },
            new OutboxEmail { ToAddress = "later@example.com", Subject = "Waiting", Status = OutboxStatus.Pending, Attempts = 2, CreatedAtUtc = now, NextAttemptAtUtc = now.AddMinutes(2), LastError = "Cannot connect to the mail server", MessageId = "c@x" });
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Shows_each_email_with_its_status_attempts_and_last_error()
    {
        var page = RenderWithProviders<EmailLogPage>();

        page.WaitForAssertion(() =>
        {
            var rows = page.FindAll("tbody tr");
            Assert.Equal(3, rows.Count);
            Assert.Contains("550 5.1.1 Mailbox unavailable", rows.Single(r => r.TextContent.Contains("bounced@")).TextContent);
            Assert.Contains("Next try", rows.Single(r => r.TextContent.Contains("later@")).TextContent);
        });
    }

    [Fact]
    public void Front_desk_staff_see_no_retry_button()
    {
        var page = RenderWithProviders<EmailLogPage>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("tbody tr").Count));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Retry");
    }

    [Fact]
    public void An_admin_retries_a_failed_email_and_it_is_waiting_again()
    {
        SignInAs(Staff.Admin);
        var page = RenderWithProviders<EmailLogPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("button"), b => b.TextContent.Trim() == "Retry"));

        page.FindAll("button").Single(b => b.TextContent.Trim() == "Retry").Click();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("The email is queued to be sent again.", page.Markup);
            Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Retry");
        });
    }
}
