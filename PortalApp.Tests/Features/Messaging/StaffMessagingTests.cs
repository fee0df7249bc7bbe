using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Messaging;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Messaging;

[Trait("Providers", "Both")]
public sealed class StaffMessagingTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private StaffMessagingService Staffside => _host.Scoped<StaffMessagingService>();
    private PatientMessagingService Patientside => _host.Scoped<PatientMessagingService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
        await using var db = await _host.DbAsync();
        db.Users.Add(new PortalUser { UserName = "emma.smith@example.com", Email = "emma.smith@example.com", ClientId = _emma.Id, DisplayName = "Emma Smith" });
        await db.SaveChangesAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_message_to_the_patient_is_stored_audited_without_its_text_and_notified_without_clinical_content()
    {
        var sent = Assert.IsType<MessageSendResult.Sent>(await Staffside.StartAsync(_emma.Id, "Your results", "Your blood test is normal.", true, Staff.Practitioner));

        var conversation = (await Patientside.OpenAsync(_emma.Id, sent.ConversationId))!;
        Assert.Equal("Your blood test is normal.", conversation.Messages.Single().Body);
        await using var db = await _host.DbAsync();
        var email = await db.OutboxEmails.SingleAsync();
        Assert.Equal(("emma.smith@example.com", "message-notice"), (email.ToAddress, email.Kind));
        Assert.DoesNotContain("blood", email.HtmlBody + email.TextBody + email.Subject);
        Assert.DoesNotContain("results", email.HtmlBody + email.TextBody + email.Subject);
        Assert.Contains("https://portal.clinic.example/portal/sign-in", email.TextBody);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.MessageSend);
        Assert.DoesNotContain("blood", audit.Details);
    }

    [Fact]
    public async Task Reading_marks_read_and_the_unread_count_follows()
    {
        var sent = (MessageSendResult.Sent)await Staffside.StartAsync(_emma.Id, "Hello", "First", true, Staff.FrontDesk);
        Assert.Equal(1, await Patientside.UnreadAsync(_emma.Id));

        await Patientside.OpenAsync(_emma.Id, sent.ConversationId);

        Assert.Equal(0, await Patientside.UnreadAsync(_emma.Id));
    }

    [Fact]
    public async Task The_patient_replies_only_where_the_clinic_allows_it()
    {
        var open = (MessageSendResult.Sent)await Staffside.StartAsync(_emma.Id, "Question", "How are you?", true, Staff.FrontDesk);
        var closed = (MessageSendResult.Sent)await Staffside.StartAsync(_emma.Id, "Notice", "Clinic closed Friday.", false, Staff.FrontDesk);

        Assert.IsType<MessageSendResult.Sent>(await Patientside.ReplyAsync(_emma.Id, open.ConversationId, "Much better, thanks.", "Emma Smith"));
        Assert.Equal(MessagingRules.NoReplies, Assert.IsType<MessageSendResult.Refused>(await Patientside.ReplyAsync(_emma.Id, closed.ConversationId, "Ok", "Emma Smith")).Reason);
        Assert.Equal(1, (await Staffside.ListAsync(_emma.Id)).Single(c => c.Id == open.ConversationId).UnreadForStaff);
    }

    [Fact]
    public async Task Another_patients_conversation_is_invisible_and_cannot_be_answered()
    {
        var other = await _host.AddClientAsync("Liam", "Chen", email: "liam@example.com");
        var sent = (MessageSendResult.Sent)await Staffside.StartAsync(_emma.Id, "Private", "For Emma only", true, Staff.FrontDesk);

        Assert.Null(await Patientside.OpenAsync(other.Id, sent.ConversationId));
        Assert.Null(await Patientside.ReplyAsync(other.Id, sent.ConversationId, "Sneaky", "Liam Chen"));
        Assert.Empty(await Patientside.ListAsync(other.Id));
    }

    [Fact]
    public async Task After_end_dating_nobody_can_add_a_message_and_the_refusals_are_audited()
    {
        var sent = (MessageSendResult.Sent)await Staffside.StartAsync(_emma.Id, "Hello", "Before the end", true, Staff.FrontDesk);
        await using (var db = await _host.DbAsync())
            await db.Clients.Where(c => c.Id == _emma.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, new DateOnly(2026, 3, 1)));

        Assert.Equal(MessagingRules.Ended, Assert.IsType<MessageSendResult.Refused>(await Staffside.StartAsync(_emma.Id, "Again", "After", true, Staff.FrontDesk)).Reason);
        Assert.Equal(MessagingRules.Ended, Assert.IsType<MessageSendResult.Refused>(await Staffside.ReplyAsync(_emma.Id, sent.ConversationId, "After", Staff.FrontDesk)).Reason);
        Assert.Equal(MessagingRules.Ended, Assert.IsType<MessageSendResult.Refused>(await Patientside.ReplyAsync(_emma.Id, sent.ConversationId, "After", "Emma Smith")).Reason);

        Assert.Single((await Staffside.OpenAsync(_emma.Id, sent.ConversationId))!.Messages);
        await using var check = await _host.DbAsync();
        Assert.Equal(3, await check.AuditEvents.CountAsync(a => a.ClientId == _emma.Id && a.Outcome == AuditOutcome.Refused));
    }

    [Fact]
    public async Task A_patient_without_a_portal_account_cannot_be_messaged()
    {
        var stranger = await _host.AddClientAsync("Olivia", "Roy", email: "olivia@example.com");

        Assert.Equal(MessagingRules.NotRegistered, Assert.IsType<MessageSendResult.Refused>(await Staffside.StartAsync(stranger.Id, "Hi", "Hello", true, Staff.FrontDesk)).Reason);
    }

    [Fact]
    public async Task A_child_without_an_account_is_messaged_through_a_full_access_caregiver_who_gets_a_notice_naming_the_child()
    {
        var lily = await _host.AddClientAsync("Lily", "Rivera", new DateOnly(2016, 6, 2), email: null);
        await CaregiverSeed.ActiveAsync(_host, lily.Id, "maya.rivera@example.com");

        var sent = Assert.IsType<MessageSendResult.Sent>(await Staffside.StartAsync(lily.Id, "Vaccination", "Lily's booster is due.", true, Staff.Practitioner));

        await using var db = await _host.DbAsync();
        var email = await db.OutboxEmails.SingleAsync();
        Assert.Equal(("maya.rivera@example.com", "A new message for Lily from Test Clinic"), (email.ToAddress, email.Subject));
        Assert.Contains("Hello Maya,", email.TextBody);
        Assert.DoesNotContain("booster", email.HtmlBody + email.TextBody);
        Assert.Equal("Lily's booster is due.", (await Patientside.OpenAsync(lily.Id, sent.ConversationId))!.Messages.Single().Body);
    }

    [Fact]
    public async Task A_registered_patient_and_their_full_access_caregiver_are_both_notified_but_an_appointments_only_one_is_not()
    {
        await CaregiverSeed.ActiveAsync(_host, _emma.Id, "partner@example.com", first: "Sam", last: "Smith");
        await CaregiverSeed.ActiveAsync(_host, _emma.Id, "daughter@example.com", CaregiverAccessLevel.AppointmentsOnly, first: "Zoe", last: "Smith");

        Assert.IsType<MessageSendResult.Sent>(await Staffside.StartAsync(_emma.Id, "Hello", "See you soon.", true, Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        Assert.Equal(["emma.smith@example.com", "partner@example.com"], (await db.OutboxEmails.Select(e => e.ToAddress).ToListAsync()).Order());
    }

    [Fact]
    public async Task An_appointments_only_caregiver_does_not_make_a_child_reachable_by_message()
    {
        var lily = await _host.AddClientAsync("Lily", "Rivera", new DateOnly(2016, 6, 2), email: null);
        await CaregiverSeed.ActiveAsync(_host, lily.Id, "maya.rivera@example.com", CaregiverAccessLevel.AppointmentsOnly);

        var refused = Assert.IsType<MessageSendResult.Refused>(await Staffside.StartAsync(lily.Id, "Hi", "Hello", true, Staff.FrontDesk));

        Assert.Equal(MessagingRules.NotRegistered, refused.Reason);
    }

    [Fact]
    public async Task A_caregivers_reply_is_marked_as_sent_on_behalf_of_the_patient_and_audited()
    {
        var sent = Assert.IsType<MessageSendResult.Sent>(await Staffside.StartAsync(_emma.Id, "Hello", "How are you?", true, Staff.FrontDesk));

        Assert.IsType<MessageSendResult.Sent>(await Patientside.ReplyAsync(_emma.Id, sent.ConversationId, "She is better, thanks.", "Sam Smith", "Emma Smith"));

        var reply = (await Staffside.OpenAsync(_emma.Id, sent.ConversationId))!.Messages.Last();
        Assert.Equal("Sent by Sam Smith on behalf of Emma Smith", reply.Byline);
        await using var db = await _host.DbAsync();
        Assert.Contains(await db.AuditEvents.Where(a => a.ClientId == _emma.Id).Select(a => a.Details).ToListAsync(), d => d == "Sent by caregiver Sam Smith");
    }
}
