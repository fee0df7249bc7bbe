using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Auditing;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Email;

[Trait("Providers", "Both")]
public sealed class EmailLogServiceTests : IAsyncLifetime
{
    private static readonly EmailContent TestContent = new("Test email from Test Clinic", "<p>It works.</p>", "It works.");

    private ServiceTestHost _host = null!;
    private EmailLogService Log => _host.Scoped<EmailLogService>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task<long> AddFailedAsync() => _host.EnqueueAsync(adjust: row =>
    {
        row.Status = OutboxStatus.Failed;
        row.Attempts = 10;
        row.LastError = "550 mailbox unavailable";
    });

    private async Task<List<AuditEvent>> AuditAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.AuditEvents.AsNoTracking().ToListAsync();
    }

    [Fact]
    public async Task An_admin_retry_puts_a_failed_email_back_in_the_queue_with_fresh_attempts_and_audits_it()
    {
        var id = await AddFailedAsync();
        _host.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(RetryResult.Queued, await Log.RetryAsync(id, Staff.Admin));

        var row = await _host.OutboxRowAsync(id);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Equal(0, row.Attempts);
        Assert.Equal(_host.UtcNow(), row.NextAttemptAtUtc);
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal("email.retry", audit.Action);
        Assert.Equal((Staff.Admin.UserId, AuditOutcome.Succeeded, $"Email {id}"), (audit.StaffUserId, audit.Outcome, audit.Details));
        Assert.Equal(1, await _host.DispatchAsync());
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(id)).Status);
    }

    [Fact]
    public async Task Retry_is_refused_for_staff_who_are_not_admins_and_the_email_stays_failed()
    {
        var id = await AddFailedAsync();

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Log.RetryAsync(id, Staff.FrontDesk));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Log.RetryAsync(id, Staff.Practitioner));

        var row = await _host.OutboxRowAsync(id);
        Assert.Equal((OutboxStatus.Failed, 10), (row.Status, row.Attempts));
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task Retry_leaves_a_sent_email_alone()
    {
        var id = await _host.EnqueueAsync();
        await _host.DispatchAsync();

        Assert.Equal(RetryResult.NotFailed, await Log.RetryAsync(id, Staff.Admin));

        var row = await _host.OutboxRowAsync(id);
        Assert.Equal((OutboxStatus.Sent, 1), (row.Status, row.Attempts));
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task Retry_of_an_unknown_email_says_not_found()
    {
        Assert.Equal(RetryResult.NotFound, await Log.RetryAsync(424242, Staff.Admin));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fran@clinic.example\r\nBcc: everyone@example.com")]
    [InlineData("fran@clinic")]
    public async Task A_test_email_to_an_unusable_address_is_refused_with_a_message_and_nothing_is_queued(string? to)
    {
        var outcome = await Log.SendTestAsync(Staff.FrontDesk, to, TestContent);

        Assert.StartsWith("Your staff account has no usable email address:", Assert.IsType<Outcome.Refused>(outcome).Reason);
        Assert.Equal(0, (await Log.ListAsync(null, 0, 50)).TotalCount);
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task A_test_email_to_a_good_address_is_queued_and_audited()
    {
        Assert.IsType<Outcome.Done>(await Log.SendTestAsync(Staff.FrontDesk, "fran@clinic.example", TestContent));

        var queued = Assert.Single((await Log.ListAsync(OutboxStatus.Pending, 0, 50)).Items);
        Assert.Equal(("fran@clinic.example", "Test email from Test Clinic", "test"), (queued.ToAddress, queued.Subject, queued.Kind));
        Assert.Equal(AuditActions.EmailTest, Assert.Single(await AuditAsync()).Action);
    }
}
