using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Bulk;

/// <summary>Creating, undoing, pausing and running bulk sends. The clock: Wednesday 4 March 2026, 10:00 in Toronto.</summary>
[Trait("Providers", "Both")]
public sealed class BulkSendTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private DateTime Now => _host.Time.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync() =>
        _host = await ServiceTestHost.StartAsync(new Dictionary<string, string?> { ["Bulk:EmailsPerSecond"] = "2", ["Bulk:TextsPerSecond"] = "1", ["Bulk:BatchSize"] = "50" });

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private BulkSendService Service => _host.Scoped<BulkSendService>();

    private Task<bool> RunAsync() => _host.Scoped<BulkRunner>().RunOnceAsync(CancellationToken.None);

    private static BulkSendRequest Request(IEnumerable<Client> to, int? confirmed, BulkChannel channel = BulkChannel.Email,
        BulkPurpose purpose = BulkPurpose.Care, string? key = null) =>
        new(key ?? Guid.NewGuid().ToString("N"), "Closed on Friday", channel, purpose,
            new BulkAudienceFilter(BulkAudienceKind.HandPicked, ClientIds: to.Select(c => c.Id).ToList()), null,
            "We are closed on Friday", "Hello {{ patient.first_name }}, the clinic is closed on Friday 6 March.", null, confirmed);

    private async Task<List<Client>> PatientsAsync(int count)
    {
        var clients = new List<Client>();
        for (var i = 0; i < count; i++)
            clients.Add(await _host.AddClientAsync($"P{i:D2}", "Patient", email: $"p{i}@example.com", phone: $"(416) 555-01{i:D2}"));
        return clients;
    }

    private async Task<long> CreateAsync(BulkSendRequest request)
    {
        var created = Assert.IsType<BulkCreateResult.Created>(await Service.CreateAsync(request, Staff.FrontDesk));
        return created.BulkSendId;
    }

    private async Task<List<BulkRecipient>> RecipientsAsync(long sendId)
    {
        await using var db = await _host.DbAsync();
        return await db.BulkRecipients.Include(r => r.OutboundMessage).ThenInclude(m => m!.OutboxEmail)
            .Where(r => r.BulkSendId == sendId).OrderBy(r => r.Position).ToListAsync();
    }

    private async Task<BulkSend> SendAsync(long sendId)
    {
        await using var db = await _host.DbAsync();
        return await db.BulkSends.SingleAsync(b => b.Id == sendId);
    }

    [Fact]
    public async Task The_server_checks_the_role_the_typed_count_the_purpose_and_a_second_post_of_the_same_form()
    {
        var patients = await PatientsAsync(3);

        Assert.Equal(BulkSendService.NotAllowed,
            Assert.IsType<BulkCreateResult.Refused>(await Service.CreateAsync(Request(patients, 3), Staff.Practitioner)).Reason);
        Assert.Equal("The audience is 3 patients now, not 4. Check the list again and type the number shown.",
            Assert.IsType<BulkCreateResult.Refused>(await Service.CreateAsync(Request(patients, 4), Staff.FrontDesk)).Reason);
        Assert.StartsWith("Promotional messages go by email or text message",
            Assert.IsType<BulkCreateResult.Refused>(await Service.CreateAsync(Request(patients, 3, BulkChannel.Voice, BulkPurpose.Promotional), Staff.FrontDesk)).Reason);

        var request = Request(patients, 3);
        var first = await CreateAsync(request);
        Assert.Equal(first, Assert.IsType<BulkCreateResult.AlreadyCreated>(await Service.CreateAsync(request, Staff.FrontDesk)).BulkSendId);

        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.BulkSends.CountAsync());
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "bulk.send");
        Assert.Equal("'Closed on Friday': Care by Email to 3 (0 left out); audience: 3 patients picked by hand", audit.Details);
    }

    [Fact]
    public async Task A_message_with_an_unknown_placeholder_or_broken_Liquid_is_refused_before_anything_is_queued()
    {
        var patients = await PatientsAsync(2);

        async Task<string> RefusedAsync(BulkSendRequest request) =>
            Assert.IsType<BulkCreateResult.Refused>(await Service.CreateAsync(request, Staff.FrontDesk)).Reason;

        Assert.StartsWith("Unknown placeholder: patient.date_of_birth.",
            await RefusedAsync(Request(patients, 2) with { Body = "Hello {{ patient.date_of_birth }}" }));
        Assert.StartsWith("Unknown placeholder: patient.nickname.", await RefusedAsync(Request(patients, 2) with { Subject = "For {{ patient.nickname }}" }));
        Assert.NotEmpty(await RefusedAsync(Request(patients, 2) with { Body = "Hello {{ patient.first_name " }));
        Assert.NotEmpty(await RefusedAsync(Request(patients, 2) with { Body = "{% if patient.first_name %}Hello" }));
        // A text message may not name the patient's last name (minimum necessary), though an email may.
        Assert.StartsWith("Unknown placeholder: patient.last_name.",
            await RefusedAsync(Request(patients, 2, BulkChannel.Sms) with { Subject = null, Body = "Hi {{ patient.last_name }}" }));

        await using var db = await _host.DbAsync();
        Assert.Equal(0, await db.BulkSends.CountAsync());
        Assert.Equal(0, await db.BulkRecipients.CountAsync());
        await CreateAsync(Request(patients, 2) with { Body = "Hello {{ patient.preferred_name }} {{ patient.last_name }}, from {{ staff.name }}." });
    }

    [Fact]
    public async Task Nothing_leaves_in_the_undo_window_and_an_undone_send_never_goes()
    {
        var patients = await PatientsAsync(2);
        var id = await CreateAsync(Request(patients, 2));

        Assert.False(await RunAsync());
        _host.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(await RunAsync());
        Assert.All(await RecipientsAsync(id), r => Assert.Equal(BulkRecipientStatus.Pending, r.Status));

        Assert.Equal(Outcome.Ok, await Service.CancelAsync(id, Staff.FrontDesk));
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await RunAsync());

        Assert.All(await RecipientsAsync(id), r => Assert.Equal((BulkRecipientStatus.Cancelled, (long?)null), (r.Status, r.OutboundMessageId)));
        Assert.Equal(BulkSendState.Cancelled, (await SendAsync(id)).State);
        await using var db = await _host.DbAsync();
        Assert.Equal(0, await db.OutboundMessages.CountAsync());
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "bulk.undo"));
    }

    [Fact]
    public async Task Each_patient_gets_one_email_to_them_alone_with_their_own_name_at_the_channels_rate()
    {
        var patients = await PatientsAsync(6);
        var id = await CreateAsync(Request(patients, 6));
        _host.Time.Advance(TimeSpan.FromMinutes(5));

        await RunAsync(); // starts: one second's worth (2 a second)
        Assert.Equal(1, (await RecipientsAsync(id)).Count(r => r.Status == BulkRecipientStatus.Sent));
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await RunAsync();
        Assert.Equal(3, (await RecipientsAsync(id)).Count(r => r.Status == BulkRecipientStatus.Sent));
        _host.Time.Advance(TimeSpan.FromSeconds(10));
        await RunAsync();
        await RunAsync();

        var recipients = await RecipientsAsync(id);
        Assert.All(recipients, r =>
        {
            Assert.Equal(BulkRecipientStatus.Sent, r.Status);
            var email = r.OutboundMessage!.OutboxEmail!;
            Assert.Equal(r.Address, email.ToAddress);
            Assert.Contains($"Hello {r.Name.Split(' ')[0]},", email.TextBody);
            Assert.Null(email.ListUnsubscribeUrl);
        });
        Assert.Equal(6, recipients.Select(r => r.OutboundMessage!.OutboxEmail!.ToAddress).Distinct().Count());
        Assert.Equal(BulkSendState.Finished, (await SendAsync(id)).State);
    }

    [Fact]
    public async Task A_paused_send_stops_where_it_was_resumes_from_there_and_a_cancel_keeps_what_went()
    {
        var patients = await PatientsAsync(6);
        var id = await CreateAsync(Request(patients, 6));
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        await RunAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await RunAsync();

        Assert.Equal(Outcome.Ok, await Service.PauseAsync(id, Staff.FrontDesk));
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.False(await RunAsync());
        Assert.Equal(3, (await RecipientsAsync(id)).Count(r => r.Status == BulkRecipientStatus.Sent));

        Assert.Equal(Outcome.Ok, await Service.ResumeAsync(id, Staff.Admin));
        Assert.Equal("Only a paused send can be resumed.", Assert.IsType<Outcome.Refused>(await Service.ResumeAsync(id, Staff.Admin)).Reason);
        _host.Time.Advance(TimeSpan.FromSeconds(1)); // a long pause buys no burst: two a second from the resume
        await RunAsync();
        Assert.Equal(5, (await RecipientsAsync(id)).Count(r => r.Status == BulkRecipientStatus.Sent));

        Assert.Equal(Outcome.Ok, await Service.CancelAsync(id, Staff.FrontDesk));
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunAsync();
        Assert.Equal([BulkRecipientStatus.Sent, BulkRecipientStatus.Sent, BulkRecipientStatus.Sent, BulkRecipientStatus.Sent, BulkRecipientStatus.Sent, BulkRecipientStatus.Cancelled],
            (await RecipientsAsync(id)).Select(r => r.Status));
        await using var db = await _host.DbAsync();
        Assert.Equal(["bulk.cancel", "bulk.pause", "bulk.resume", "bulk.send"], (await db.AuditEvents.Where(a => a.Action.StartsWith("bulk.")).Select(a => a.Action).ToListAsync()).Order());
    }

    [Fact]
    public async Task A_patient_end_dated_or_unsubscribed_after_the_send_was_made_is_left_out_when_their_turn_comes()
    {
        var patients = await PatientsAsync(3);
        await using (var db = await _host.DbAsync())
        {
            foreach (var c in await db.Clients.ToListAsync())
                c.PromotionalConsentAtUtc = Now.AddDays(-30);
            await db.SaveChangesAsync();
        }
        var id = await CreateAsync(Request(patients, 3, purpose: BulkPurpose.Promotional));
        await using (var db = await _host.DbAsync())
        {
            (await db.Clients.FindAsync(patients[0].Id))!.EndDate = new DateOnly(2026, 3, 4);
            (await db.Clients.FindAsync(patients[1].Id))!.PromotionalOptOutAtUtc = Now;
            await db.SaveChangesAsync();
        }
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        await RunAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(5));
        await RunAsync();

        var recipients = await RecipientsAsync(id);
        Assert.Equal([(BulkRecipientStatus.Skipped, BulkExclusion.EndDated), (BulkRecipientStatus.Skipped, "Unsubscribed from promotional messages on 4 Mar 2026"), (BulkRecipientStatus.Sent, null)],
            recipients.Select(r => (r.Status, r.Reason)));
        var promotional = recipients[2];
        Assert.NotNull(promotional.UnsubscribeTokenHash);
        Assert.Equal(32, promotional.UnsubscribeTokenHash!.Length);
        var email = promotional.OutboundMessage!.OutboxEmail!;
        Assert.EndsWith($"/unsubscribe/{OutboxEmail.SecretMarker}", email.ListUnsubscribeUrl);
        Assert.Contains($"Unsubscribe from promotional messages: ", email.TextBody);
        Assert.DoesNotContain(OutboxEmail.SecretMarker, _host.Get<PortalApp.Email.OutboxSecrets>().Reveal(email).Text);
    }

    [Fact]
    public async Task Texts_wait_for_the_end_of_the_quiet_hours_and_carry_stop_when_promotional()
    {
        var patients = await PatientsAsync(2);
        var id = await CreateAsync(Request(patients, 2, BulkChannel.Sms, BulkPurpose.Care) with { ScheduledForUtc = new DateTime(2026, 3, 5, 3, 0, 0, DateTimeKind.Utc) });
        _host.Time.SetUtcNow(new DateTime(2026, 3, 5, 3, 0, 0, DateTimeKind.Utc)); // 22:00 in Toronto
        Assert.False(await RunAsync());
        _host.Time.SetUtcNow(new DateTime(2026, 3, 5, 12, 59, 0, DateTimeKind.Utc)); // 07:59
        await RunAsync();
        Assert.All(await RecipientsAsync(id), r => Assert.Equal(BulkRecipientStatus.Pending, r.Status));

        _host.Time.SetUtcNow(new DateTime(2026, 3, 5, 13, 0, 0, DateTimeKind.Utc)); // 08:00
        await RunAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(2));
        await RunAsync();
        var texts = await RecipientsAsync(id);
        Assert.All(texts, r => Assert.Equal((BulkRecipientStatus.Sent, MessageChannel.Sms, r.Address), (r.Status, r.OutboundMessage!.Channel, r.OutboundMessage.Recipient)));
        Assert.DoesNotContain("STOP", texts[0].OutboundMessage!.Body);
    }

    [Fact]
    public async Task A_bulk_invite_gives_each_patient_one_pending_invite_through_the_invite_path_with_its_audit()
    {
        var patients = await PatientsAsync(2);
        int templateId;
        await using (var db = await _host.DbAsync())
            templateId = (await db.MessageTemplates.SingleAsync(t => t.Kind == TemplateKind.PortalInvite && t.IsDefault)).Id;
        var request = new BulkSendRequest(Guid.NewGuid().ToString("N"), "Invite everyone", BulkChannel.Invite, BulkPurpose.Care,
            new BulkAudienceFilter(BulkAudienceKind.NotYetInvited), templateId, null, null, null, 2);
        var id = await CreateAsync(request);
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        await RunAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await RunAsync();

        await using var check = await _host.DbAsync();
        var invites = await check.PortalInvites.OrderBy(i => i.ClientId).ToListAsync();
        Assert.Equal(patients.Select(p => (p.Id, InviteStatus.Pending)), invites.Select(i => (i.ClientId, i.Status)));
        Assert.All(invites, i => Assert.Equal(32, i.TokenHash.Length));
        Assert.Equal(2, await check.AuditEvents.CountAsync(a => a.Action == "invite.send"));
        Assert.Equal(invites.Select(i => (long?)i.Id), (await RecipientsAsync(id)).Select(r => r.PortalInviteId));
    }
}
