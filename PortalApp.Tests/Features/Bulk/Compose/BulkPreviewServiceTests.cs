using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Bulk;
using PortalApp.Features.Bulk.Compose;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Bulk.Compose;

/// <summary>The compose page's preview (one patient's message, as the send writes it) and "Send a test to me".</summary>
[Trait("Providers", "Both")]
public sealed class BulkPreviewServiceTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private StaffActor _me = null!;
    private const string MyEmail = "fran.desk@clinic.example";

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        var user = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.FrontDesk, MyEmail);
        _me = new StaffActor(user.Id, "Fran Desk", StaffRoles.FrontDesk);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private BulkPreviewService Service => _host.Scoped<BulkPreviewService>();

    private static BulkDraft Email(BulkPurpose purpose = BulkPurpose.Care) =>
        new(BulkChannel.Email, purpose, null, "News for {{ patient.first_name }}", "Hello {{ patient.preferred_name }} {{ patient.last_name }}, from {{ staff.name }}.", "March news");

    [Fact]
    public async Task The_preview_is_written_for_the_chosen_patient_alone_by_the_sends_own_code()
    {
        var ada = await _host.AddClientAsync("Ada", "Able", email: "ada@example.com");
        await _host.AddClientAsync("Ben", "Baker", email: "ben@example.com");

        var shown = Assert.IsType<BulkPreviewResult.Shown>(await Service.PreviewAsync(Email(), ada.Id, _me));

        Assert.Equal(("Ada Able", "News for Ada"), (shown.PatientName, shown.Content.Subject));
        Assert.Contains("Hello Ada Able, from Fran Desk.", shown.Content.Text);
        Assert.DoesNotContain("Ben", shown.Content.Text);
        Assert.Contains("Test Clinic", shown.Content.Html); // in the clinic's email layout, as sent
        Assert.DoesNotContain("Unsubscribe", shown.Content.Text);
    }

    [Fact]
    public async Task A_promotional_preview_shows_the_unsubscribe_footer_with_a_sample_link_and_a_text_ends_with_Reply_STOP()
    {
        var ada = await _host.AddClientAsync("Ada", "Able", email: "ada@example.com");

        var email = Assert.IsType<BulkPreviewResult.Shown>(await Service.PreviewAsync(Email(BulkPurpose.Promotional), ada.Id, _me)).Content;
        Assert.Contains("Unsubscribe from promotional messages: https://portal.clinic.example/unsubscribe/your-personal-link", email.Text);

        var text = new BulkDraft(BulkChannel.Sms, BulkPurpose.Promotional, null, null, "Flu clinic on Saturday, {{ patient.first_name }}!");
        var sms = Assert.IsType<BulkPreviewResult.Shown>(await Service.PreviewAsync(text, ada.Id, _me)).Content;
        Assert.Equal("Flu clinic on Saturday, Ada!\nTest Clinic. Reply STOP to opt out.", sms.Text);
        Assert.Null(sms.Html);
    }

    [Fact]
    public async Task A_bad_placeholder_a_promotional_call_and_a_practitioner_are_refused()
    {
        var ada = await _host.AddClientAsync("Ada", "Able");

        Assert.StartsWith("Unknown placeholder: patient.dob.",
            Assert.IsType<BulkPreviewResult.Refused>(await Service.PreviewAsync(Email() with { Body = "{{ patient.dob }}" }, ada.Id, _me)).Reason);
        Assert.StartsWith("Promotional messages go by email or text message",
            Assert.IsType<BulkPreviewResult.Refused>(await Service.PreviewAsync(Email(BulkPurpose.Promotional) with { Channel = BulkChannel.Voice }, ada.Id, _me)).Reason);
        Assert.Equal(BulkSendService.NotAllowed,
            Assert.IsType<BulkPreviewResult.Refused>(await Service.PreviewAsync(Email(), ada.Id, Staff.Practitioner)).Reason);
        Assert.Equal(Outcome.Refuse(BulkSendService.NotAllowed), await Service.SendTestAsync(Email(), ada.Id, Staff.Practitioner));
    }

    [Fact]
    public async Task A_test_goes_to_the_staff_members_own_address_alone_marked_Test_and_audited()
    {
        var ada = await _host.AddClientAsync("Ada", "Able", email: "ada@example.com");

        Assert.Equal(Outcome.Ok, await Service.SendTestAsync(Email(), ada.Id, _me));

        await using var db = await _host.DbAsync();
        var email = await db.OutboxEmails.SingleAsync();
        Assert.Equal((MyEmail, "[Test] News for Ada", (int?)null), (email.ToAddress, email.Subject, email.ClientId));
        Assert.Contains("Hello Ada Able", email.TextBody);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "bulk.test");
        Assert.Equal((_me.UserId, (int?)ada.Id, "Email test of 'March news' to their own email"), (audit.StaffUserId, audit.ClientId, audit.Details));
    }

    [Fact]
    public async Task A_text_message_test_comes_by_email_and_says_what_it_stands_for()
    {
        var ada = await _host.AddClientAsync("Ada", "Able");

        Assert.Equal(Outcome.Ok, await Service.SendTestAsync(new BulkDraft(BulkChannel.Sms, BulkPurpose.Care, null, null, "Closed Friday, {{ patient.first_name }}."), ada.Id, _me));

        await using var db = await _host.DbAsync();
        var email = await db.OutboxEmails.SingleAsync();
        Assert.Equal((MyEmail, "[Test] Text message"), (email.ToAddress, email.Subject));
        Assert.Contains("A test of the text message Ada Able would get:", email.TextBody);
        Assert.Contains("Closed Friday, Ada.", email.TextBody);
        Assert.Equal(0, await db.OutboundMessages.CountAsync());
    }

    [Fact]
    public async Task Ten_tests_in_ten_minutes_is_the_limit_per_staff_member()
    {
        var ada = await _host.AddClientAsync("Ada", "Able");
        for (var i = 0; i < BulkPreviewService.MaxTests; i++)
            Assert.Equal(Outcome.Ok, await Service.SendTestAsync(Email(), ada.Id, _me));

        var refused = Assert.IsType<Outcome.Refused>(await Service.SendTestAsync(Email(), ada.Id, _me));
        Assert.StartsWith("You have sent 10 tests in the last 10 minutes.", refused.Reason);

        _host.Time.Advance(BulkPreviewService.TestWindow);
        Assert.Equal(Outcome.Ok, await Service.SendTestAsync(Email(), ada.Id, _me));
        await using var db = await _host.DbAsync();
        Assert.Equal(11, await db.OutboxEmails.CountAsync(e => e.ToAddress == MyEmail));
    }

    [Fact]
    public async Task Tests_sent_at_the_same_instant_with_one_left_send_one_and_refuse_the_rest()
    {
        var ada = await _host.AddClientAsync("Ada", "Able");
        for (var i = 0; i < BulkPreviewService.MaxTests - 1; i++)
            Assert.Equal(Outcome.Ok, await Service.SendTestAsync(Email(), ada.Id, _me));

        const int senders = 6;
        using var barrier = new Barrier(senders);
        // Each test starts on a thread of its own once all are ready, so they count the tests sent so far together.
        var results = await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Factory.StartNew(async () =>
        {
            Assert.True(barrier.SignalAndWait(TimeSpan.FromSeconds(30)));
            return await Service.SendTestAsync(Email(), ada.Id, _me);
        }, TaskCreationOptions.LongRunning).Unwrap()));

        Assert.Single(results, r => r == Outcome.Ok);
        Assert.All(results.Where(r => r != Outcome.Ok), r => Assert.StartsWith("You have sent 10 tests", Assert.IsType<Outcome.Refused>(r).Reason));
        await using var db = await _host.DbAsync();
        Assert.Equal(BulkPreviewService.MaxTests, await db.OutboxEmails.CountAsync(e => e.ToAddress == MyEmail));
        Assert.Equal(BulkPreviewService.MaxTests, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.BulkTest));
    }
}
