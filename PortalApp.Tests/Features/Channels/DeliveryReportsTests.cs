using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Channels;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Channels;

/// <summary>Twilio's delivery reports move a message forward, never back.</summary>
[Trait("Providers", "Both")]
public sealed class DeliveryReportsTests : IAsyncLifetime
{
    private const string TextSid = "SM0123456789abcdef0123456789abcdef", CallSid = "CA0123456789abcdef0123456789abcdef";
    private ServiceTestHost _host = null!;
    private DeliveryReports Reports => _host.Get<DeliveryReports>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<long> SentAsync(string sid, MessageChannel channel = MessageChannel.Sms, OutboundMessageStatus status = OutboundMessageStatus.Sent)
    {
        var id = await _host.EnqueueTextAsync(channel: channel);
        await using var db = await _host.DbAsync();
        var row = await db.OutboundMessages.SingleAsync(m => m.Id == id);
        (row.Status, row.ProviderMessageId, row.Attempts, row.SentAtUtc) = (status, sid, 1, _host.Time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();
        return id;
    }

    private Task<DeliveryReportResult> TextReportAsync(string status, string? errorCode = null, string sid = TextSid)
    {
        var form = new Dictionary<string, string> { ["MessageSid"] = sid, ["SmsSid"] = sid, ["MessageStatus"] = status, ["To"] = TextTestData.Patient };
        if (errorCode is not null)
            form["ErrorCode"] = errorCode;
        return Reports.ApplyAsync(form, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Delivered_marks_the_text_delivered_with_the_time()
    {
        var id = await SentAsync(TextSid);
        _host.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(DeliveryReportResult.Recorded, await TextReportAsync("delivered"));

        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Delivered, _host.Time.GetUtcNow().UtcDateTime), (row.Status, row.DeliveredAtUtc));
    }

    [Theory]
    [InlineData("undelivered", "30003", "The phone was unreachable (off, or out of coverage) (30003).")]
    [InlineData("failed", "30007", "The carrier filtered the text as unwanted (30007).")]
    [InlineData("undelivered", "30999", "Not delivered: Twilio error 30999 (see twilio.com/docs/errors/30999).")]
    [InlineData("failed", null, "Not delivered; Twilio gave no reason.")]
    public async Task Undelivered_or_failed_marks_the_text_failed_with_a_reason_staff_can_read(string status, string? code, string reason)
    {
        var id = await SentAsync(TextSid);

        await TextReportAsync(status, code);

        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Failed, reason), (row.Status, row.StatusDetail));
    }

    [Fact]
    public async Task A_late_sent_after_delivered_changes_nothing()
    {
        var id = await SentAsync(TextSid);
        await TextReportAsync("delivered");

        Assert.Equal(DeliveryReportResult.Unchanged, await TextReportAsync("sent"));
        Assert.Equal(DeliveryReportResult.Unchanged, await TextReportAsync("failed", "30003"));

        Assert.Equal(OutboundMessageStatus.Delivered, (await _host.MessageAsync(id)).Status);
    }

    [Fact]
    public async Task A_text_the_patient_replied_to_stays_replied()
    {
        var id = await SentAsync(TextSid, status: OutboundMessageStatus.Replied);

        Assert.Equal(DeliveryReportResult.Unchanged, await TextReportAsync("delivered"));

        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Replied, null), (row.Status, row.DeliveredAtUtc));
    }

    [Fact]
    public async Task A_report_for_a_message_this_clinic_never_sent_changes_nothing()
    {
        var id = await SentAsync(TextSid);

        Assert.Equal(DeliveryReportResult.UnknownMessage, await TextReportAsync("delivered", sid: "SMffffffffffffffffffffffffffffffff"));
        Assert.Equal(DeliveryReportResult.UnknownMessage, await Reports.ApplyAsync(new Dictionary<string, string> { ["MessageStatus"] = "delivered" }, TestContext.Current.CancellationToken));

        Assert.Equal(OutboundMessageStatus.Sent, (await _host.MessageAsync(id)).Status);
    }

    [Theory]
    [InlineData("completed", OutboundMessageStatus.Delivered, "Answered.")]
    [InlineData("busy", OutboundMessageStatus.Failed, "The line was busy.")]
    [InlineData("no-answer", OutboundMessageStatus.Failed, "No one answered.")]
    [InlineData("canceled", OutboundMessageStatus.Failed, "The call was cancelled before it was answered.")]
    [InlineData("failed", OutboundMessageStatus.Failed, "The call could not be made.")]
    public async Task A_call_s_end_marks_it_answered_or_failed_with_why(string callStatus, OutboundMessageStatus status, string detail)
    {
        var id = await SentAsync(CallSid, MessageChannel.Voice);

        await Reports.ApplyAsync(new Dictionary<string, string> { ["CallSid"] = CallSid, ["CallStatus"] = callStatus }, TestContext.Current.CancellationToken);

        var row = await _host.MessageAsync(id);
        Assert.Equal((status, detail), (row.Status, row.StatusDetail));
    }
}
