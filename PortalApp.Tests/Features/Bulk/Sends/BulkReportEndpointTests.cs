using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Features.Bulk.Sends;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Bulk.Sends;

/// <summary>The report's CSV download and the pages' access, through the whole app (the demo clinic).</summary>
[Trait("Providers", "Both")]
public sealed class BulkReportEndpointTests(ProviderAppFixture app) : IClassFixture<ProviderAppFixture>
{
    private static readonly DateTime Processed = new(2026, 3, 4, 15, 30, 0, DateTimeKind.Utc); // 10:30 in Toronto

    /// <summary>A finished send (the running app's runner leaves it alone) with one recipient per outcome.</summary>
    private async Task<long> FinishedSendAsync()
    {
        await using var db = await app.Factory.DbAsync();
        var send = new BulkSend
        {
            IdempotencyKey = Guid.NewGuid().ToString("N"), Title = "Closed on Friday", Channel = BulkChannel.Email, Purpose = BulkPurpose.Care,
            AudienceKind = BulkAudienceKind.HandPicked, AudienceJson = "{}", AudienceDescription = "4 patients picked by hand", Subject = "Closed",
            Body = "Closed on Friday.", State = BulkSendState.Finished, CreatedAtUtc = Processed, CreatedByUserId = "staff-frontdesk",
            CreatedByName = "Fran Desk", StartsAtUtc = Processed, StartedAtUtc = Processed, FinishedAtUtc = Processed, RecipientCount = 3, ExcludedCount = 1,
        };
        var message = new OutboundMessage
        {
            Channel = MessageChannel.Email, Recipient = "ada@example.com", Kind = "bulk", Body = "Closed", Status = OutboundMessageStatus.Delivered,
            CreatedAtUtc = Processed, NextAttemptAtUtc = Processed,
        };
        db.BulkRecipients.AddRange(
            new BulkRecipient { BulkSend = send, Name = "Ada Lovelace", Address = "ada@example.com", Status = BulkRecipientStatus.Sent, Position = 0, ProcessedAtUtc = Processed, OutboundMessage = message },
            new BulkRecipient { BulkSend = send, Name = "=HYPERLINK(\"https://evil.example\")", Address = "+14165550101", Status = BulkRecipientStatus.Failed, Reason = "@SUM(1+1)", Position = 1, ProcessedAtUtc = Processed },
            new BulkRecipient { BulkSend = send, Name = "Bo Brown", Address = "bo@example.com", Status = BulkRecipientStatus.Sent, Position = 2, ProcessedAtUtc = Processed, UnsubscribedAtUtc = Processed.AddDays(1) },
            new BulkRecipient { BulkSend = send, Name = "Cy Cole", Status = BulkRecipientStatus.Skipped, Reason = "Opted out of emails", Position = 3, ProcessedAtUtc = Processed });
        await db.SaveChangesAsync();
        return send.Id;
    }

    private static async Task<string[]> LinesAsync(HttpResponseMessage response) =>
        (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("frontdesk@demo.clinic")]
    [InlineData("admin@demo.clinic")]
    public async Task Front_desk_and_admins_download_one_formula_safe_row_per_recipient_in_clinic_time(string email)
    {
        var id = await FinishedSendAsync();
        var staff = await StaffClient.SignedInAsync(app.Factory, email);

        var response = await staff.GetAsync(BulkReportEndpoint.PathFor(id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], (await response.Content.ReadAsByteArrayAsync())[..3]);
        Assert.Equal(
        [
            "Name,Address,Outcome,Reason,Processed at",
            "Ada Lovelace,ada@example.com,Delivered,,2026-03-04 10:30",
            "\"'=HYPERLINK(\"\"https://evil.example\"\")\",\"'+14165550101\",Failed,\"'@SUM(1+1)\",2026-03-04 10:30",
            "Bo Brown,bo@example.com,Sent; unsubscribed 2026-03-05,,2026-03-04 10:30",
            "Cy Cole,,Skipped,Opted out of emails,2026-03-04 10:30",
        ], await LinesAsync(response));
    }

    [Fact]
    public async Task The_download_is_audited_with_the_send_and_the_row_count_but_no_names()
    {
        var id = await FinishedSendAsync();
        var staff = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        await (await staff.GetAsync(BulkReportEndpoint.PathFor(id))).Content.ReadAsStringAsync();

        await using var db = await app.Factory.DbAsync();
        var audit = await db.AuditEvents.Where(a => a.Action == "bulk.report-export" && a.Details!.StartsWith($"Bulk send {id} ")).SingleAsync();
        Assert.Equal($"Bulk send {id} 'Closed on Friday': 4 rows", audit.Details);
        Assert.Null(audit.ClientId);
    }

    [Fact]
    public async Task A_practitioner_gets_403_and_no_rows_and_a_missing_send_404()
    {
        var id = await FinishedSendAsync();
        var practitioner = await StaffClient.SignedInAsync(app.Factory, "practitioner@demo.clinic");
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        var refused = await practitioner.GetAsync(BulkReportEndpoint.PathFor(id));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("Ada", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await frontDesk.GetAsync(BulkReportEndpoint.PathFor(id + 1000))).StatusCode);
        await using var db = await app.Factory.DbAsync();
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == "bulk.report-export" && a.Details!.StartsWith($"Bulk send {id + 1000} ")));
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var id = await FinishedSendAsync();

        var response = await StaffClient.Anonymous(app.Factory).GetAsync(BulkReportEndpoint.PathFor(id));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in?ReturnUrl=", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_practitioner_is_refused_the_pages_and_sees_no_menu_entry()
    {
        var practitioner = await StaffClient.SignedInAsync(app.Factory, "practitioner@demo.clinic");

        var refused = await practitioner.GetAsync("/bulk");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("Your account does not have the role this page needs.", await PortalForms.TextAsync(await practitioner.GetAsync(refused.Headers.Location)));
        Assert.DoesNotContain("Bulk messaging", await practitioner.GetStringAsync("/clients"));
    }

    [Fact]
    public async Task The_front_desk_opens_the_list_and_a_send_from_the_menu()
    {
        var id = await FinishedSendAsync();
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        var clients = await frontDesk.GetStringAsync("/clients");
        var list = await frontDesk.GetStringAsync("/bulk");
        var send = await frontDesk.GetStringAsync($"/bulk/{id}");

        Assert.Contains("href=\"/bulk\"", clients);
        Assert.Contains("<title>Bulk messaging</title>", list);
        Assert.Contains("<title>Closed on Friday · Bulk messaging</title>", send);
        Assert.Contains($"href=\"{BulkReportEndpoint.PathFor(id)}\"", send);
    }
}
