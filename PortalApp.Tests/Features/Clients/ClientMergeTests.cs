using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Audit;
using PortalApp.Features.Clients;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Clients;

[Trait("Providers", "Both")]
public sealed class ClientMergeTests : IAsyncLifetime
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(ServiceTestHost.Start.UtcDateTime);
    private ServiceTestHost _host = null!;
    private Client _keep = null!;
    private Client _other = null!;
    private ClientMergeService Merges => _host.Scoped<ClientMergeService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _keep = await _host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7), "emma@example.com", "(416) 555-0101");
        _other = await _host.AddClientAsync("Emma", "Smyth", new DateOnly(1984, 3, 7), "emma.smyth@example.com", "(647) 555-0199");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<ClientMergeChoices> ChoicesAsync(int survivorId, int otherId)
    {
        var preview = (await Merges.PreviewAsync(survivorId, otherId))!;
        return new ClientMergeChoices
        {
            SurvivorId = survivorId, OtherId = otherId, SurvivorVersion = preview.Survivor.Card.Version, OtherVersion = preview.Other.Card.Version,
        };
    }

    private async Task<T> AddAsync<T>(T row) where T : class
    {
        await using var db = await _host.DbAsync();
        db.Add(row);
        await db.SaveChangesAsync();
        return row;
    }

    private async Task<string> RefusalAsync(ClientMergeChoices choices, StaffActor? actor = null) =>
        Assert.IsType<ClientMergeResult.Refused>(await Merges.MergeAsync(choices, actor ?? Staff.Admin)).Message;

    private async Task AssertNothingMergedAsync()
    {
        await using var db = await _host.DbAsync();
        Assert.False(await db.Clients.AnyAsync(c => c.MergedIntoClientId != null));
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.ClientMerge));
    }

    [Fact]
    public async Task Merging_moves_everything_to_the_survivor_in_one_go_and_the_other_card_points_at_it()
    {
        var appointment = await _host.AddAppointmentAsync(_other.Id, ServiceTestHost.Start.UtcDateTime.AddDays(3));
        var conversation = await AddAsync(new Conversation { ClientId = _other.Id, Subject = "Results" });
        var asPatient = await AddAsync(MergeSeed.Grant(_other.Id, "dad@example.com", CaregiverAccessStatus.Active, _host));
        var third = await _host.AddClientAsync("Noah", "Smyth", new DateOnly(2015, 1, 1), null, null);
        var asCaregiver = await AddAsync(MergeSeed.Grant(third.Id, "emma.smyth@example.com", CaregiverAccessStatus.Active, _host, caregiverClientId: _other.Id));
        var caregiverInvite = await AddAsync(MergeSeed.Invite(_other.Id, _host, asPatient.Id));
        var account = await AddAsync(MergeSeed.Account(_other.Id, "emma.smyth@example.com"));
        await using (var seed = await _host.DbAsync())
        {
            var other = await seed.Clients.SingleAsync(c => c.Id == _other.Id);
            other.ExternalId = "OLD-17";
            await seed.SaveChangesAsync();
        }
        var choices = await ChoicesAsync(_keep.Id, _other.Id);
        (choices.Email, choices.ExternalId) = (MergeKeep.OtherCard, MergeKeep.OtherCard);

        var merged = Assert.IsType<ClientMergeResult.Merged>(await Merges.MergeAsync(choices, Staff.Admin));

        Assert.Equal(_keep.Id, merged.SurvivorId);
        await using var db = await _host.DbAsync();
        var survivor = await db.Clients.SingleAsync(c => c.Id == _keep.Id);
        var gone = await db.Clients.SingleAsync(c => c.Id == _other.Id);
        Assert.Equal(("Smith", "emma.smyth@example.com", "+14165550101", "OLD-17"), (survivor.LastName, survivor.Email, survivor.MobilePhone, survivor.ExternalId));
        Assert.Equal((_keep.Id, Today, (string?)null), (gone.MergedIntoClientId, gone.EndDate, gone.ExternalId));
        Assert.Equal(_keep.Id, (await db.Appointments.SingleAsync(a => a.Id == appointment.Id)).ClientId);
        Assert.Equal(_keep.Id, (await db.Conversations.SingleAsync(c => c.Id == conversation.Id)).ClientId);
        Assert.Equal(_keep.Id, (await db.CaregiverAccesses.SingleAsync(g => g.Id == asPatient.Id)).PatientClientId);
        Assert.Equal(_keep.Id, (await db.CaregiverAccesses.SingleAsync(g => g.Id == asCaregiver.Id)).CaregiverClientId);
        var invite = await db.PortalInvites.SingleAsync(i => i.Id == caregiverInvite.Id);
        Assert.Equal((_keep.Id, InviteStatus.Pending), (invite.ClientId, invite.Status));
        Assert.Equal(_keep.Id, (await db.Users.SingleAsync(u => u.Id == account.Id)).ClientId);
        var history = await db.AppointmentChanges.SingleAsync(c => c.AppointmentId == appointment.Id);
        Assert.Equal((AppointmentChangeKind.MovedByMerge, "staff-admin"), (history.Kind, history.StaffUserId));
    }

    [Fact]
    public async Task The_merge_is_audited_on_both_ids_with_field_names_and_counts_only_and_the_old_id_still_finds_its_rows()
    {
        await _host.AddAppointmentAsync(_other.Id, ServiceTestHost.Start.UtcDateTime.AddDays(3));
        var choices = await ChoicesAsync(_keep.Id, _other.Id);
        choices.MobilePhone = MergeKeep.OtherCard;

        Assert.IsType<ClientMergeResult.Merged>(await Merges.MergeAsync(choices, Staff.Admin));

        var audit = _host.Scoped<AuditQueryService>();
        var onOld = (await audit.SearchAsync(new AuditFilter(AuditActions.ClientMerge, _other.Id), 0, 10)).Items.Single();
        var onSurvivor = (await audit.SearchAsync(new AuditFilter(AuditActions.ClientMerge, _keep.Id), 0, 10)).Items.Single();
        Assert.StartsWith($"Merged into client {_keep.Id}. Moved: 1 appointment(s)", onOld.Details);
        Assert.StartsWith($"Client {_other.Id} merged into this card. Kept from client {_other.Id}: mobile phone.", onSurvivor.Details);
        Assert.DoesNotContain("555", onSurvivor.Details + onOld.Details);
        Assert.DoesNotContain("Smyth", onSurvivor.Details + onOld.Details);
    }

    [Fact]
    public async Task The_merged_cards_intake_forms_and_responses_move_to_the_survivor()
    {
        await using (var db = await _host.DbAsync())
        {
            var now = _host.Time.GetUtcNow().UtcDateTime;
            var version = await PortalApp.Tests.Features.IntakeForms.FormSeeds.PublishAsync(db, PortalApp.Tests.Features.IntakeForms.TestForms.EveryType, now);
            var sent = await PortalApp.Tests.Features.IntakeForms.FormSeeds.AssignAsync(db, _other.Id, version, now);
            await PortalApp.Tests.Features.IntakeForms.FormSeeds.RespondAsync(db, _other.Id, version, PortalApp.Features.IntakeForms.FormAnswers.Empty, now, sent);
        }

        var merged = Assert.IsType<ClientMergeResult.Merged>(await Merges.MergeAsync(await ChoicesAsync(_keep.Id, _other.Id), Staff.Admin));

        Assert.EndsWith(", 1 intake form(s) with their responses", merged.Summary);
        await using var check = await _host.DbAsync();
        Assert.Equal([_keep.Id], await check.FormAssignments.Select(a => a.ClientId).ToListAsync());
        Assert.Equal([_keep.Id], await check.FormResponses.Select(r => r.ClientId).ToListAsync());
    }

    [Fact]
    public async Task The_merged_card_leaves_the_list_and_search_but_its_id_resolves_to_the_survivor()
    {
        Assert.IsType<ClientMergeResult.Merged>(await Merges.MergeAsync(await ChoicesAsync(_keep.Id, _other.Id), Staff.Admin));

        var clients = _host.Scoped<ClientService>();
        Assert.Equal([_keep.Id], (await clients.SearchAsync("Emma", 0, 25)).Items.Select(c => c.Id));
        Assert.Equal(_keep.Id, (await clients.GetAsync(_other.Id))!.MergedIntoClientId);
        Assert.Equal([_other.Id], (await clients.GetAsync(_keep.Id))!.MergedCardIds);
    }

    [Fact]
    public async Task Only_an_admin_may_merge_checked_by_the_service()
    {
        Assert.Equal(ClientMergeMessages.NotAdmin, await RefusalAsync(await ChoicesAsync(_keep.Id, _other.Id), Staff.FrontDesk));
        Assert.Equal(ClientMergeMessages.NotAdmin, await RefusalAsync(await ChoicesAsync(_keep.Id, _other.Id), Staff.Practitioner));
        await AssertNothingMergedAsync();
    }

    [Fact]
    public async Task A_card_cannot_be_merged_with_itself()
    {
        Assert.Equal(ClientMergeMessages.SameCard, await RefusalAsync(await ChoicesAsync(_keep.Id, _keep.Id)));
        await AssertNothingMergedAsync();
    }

    [Fact]
    public async Task A_card_already_merged_cannot_be_merged_again_on_either_side()
    {
        var third = await _host.AddClientAsync("Em", "Smith", new DateOnly(1984, 3, 7), null, null);
        Assert.IsType<ClientMergeResult.Merged>(await Merges.MergeAsync(await ChoicesAsync(_keep.Id, third.Id), Staff.Admin));

        Assert.Equal(ClientMergeMessages.AlreadyMerged(third.Id, _keep.Id), await RefusalAsync(await ChoicesAsync(_other.Id, third.Id)));
        Assert.Equal(ClientMergeMessages.AlreadyMerged(third.Id, _keep.Id), await RefusalAsync(await ChoicesAsync(third.Id, _other.Id)));
    }

    [Fact]
    public async Task Two_cards_that_both_have_a_portal_account_are_refused_and_the_screen_says_so_first()
    {
        await AddAsync(MergeSeed.Account(_keep.Id, "emma@example.com"));
        await AddAsync(MergeSeed.Account(_other.Id, "emma.smyth@example.com"));

        Assert.Equal(ClientMergeMessages.BothHavePortalAccounts, (await Merges.PreviewAsync(_keep.Id, _other.Id))!.Problem);
        Assert.Equal(ClientMergeMessages.BothHavePortalAccounts, await RefusalAsync(await ChoicesAsync(_keep.Id, _other.Id)));
        await AssertNothingMergedAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_open_caregiver_grant_between_the_two_cards_is_refused_as_self_care(bool survivorIsPatient)
    {
        var (patient, caregiver) = survivorIsPatient ? (_keep, _other) : (_other, _keep);
        await AddAsync(MergeSeed.Grant(patient.Id, caregiver.Email!, CaregiverAccessStatus.Invited, _host, caregiverClientId: caregiver.Id));

        Assert.Equal(ClientMergeMessages.CaregiverOfThemselves, await RefusalAsync(await ChoicesAsync(_keep.Id, _other.Id)));
        await AssertNothingMergedAsync();
    }

    [Fact]
    public async Task An_ended_grant_between_the_two_cards_stays_as_history_without_a_link_to_the_person_themself()
    {
        var ended = await AddAsync(MergeSeed.Grant(_keep.Id, "emma.smyth@example.com", CaregiverAccessStatus.Ended, _host, caregiverClientId: _other.Id));

        Assert.IsType<ClientMergeResult.Merged>(await Merges.MergeAsync(await ChoicesAsync(_keep.Id, _other.Id), Staff.Admin));

        await using var db = await _host.DbAsync();
        var grant = await db.CaregiverAccesses.SingleAsync(g => g.Id == ended.Id);
        Assert.Equal((_keep.Id, (int?)null), (grant.PatientClientId, grant.CaregiverClientId));
    }

    [Fact]
    public async Task A_concurrent_edit_of_the_other_card_makes_the_merge_fail_and_nothing_moves()
    {
        await _host.AddAppointmentAsync(_other.Id, ServiceTestHost.Start.UtcDateTime.AddDays(3));
        var choices = await ChoicesAsync(_keep.Id, _other.Id);
        var clients = _host.Scoped<ClientService>();
        var edit = (await clients.GetAsync(_other.Id))!.ToEditModel();
        edit.PreferredName = "Em";
        Assert.IsType<ClientSaveResult.Saved>(await clients.UpdateAsync(_other.Id, edit, Staff.FrontDesk));

        var conflict = Assert.IsType<ClientMergeResult.Conflict>(await Merges.MergeAsync(choices, Staff.Admin));

        Assert.StartsWith("Someone else changed this card", conflict.Message);
        await AssertNothingMergedAsync();
        await using var db = await _host.DbAsync();
        Assert.Equal(_other.Id, (await db.Appointments.SingleAsync()).ClientId);
    }

    [Fact]
    public async Task A_concurrent_edit_of_the_surviving_card_makes_the_merge_fail_too()
    {
        var choices = await ChoicesAsync(_keep.Id, _other.Id);
        Assert.IsType<ClientSaveResult.Saved>(await _host.Scoped<ClientService>().SetEndDateAsync(_keep.Id, Today.AddDays(5), choices.SurvivorVersion, Staff.FrontDesk));

        Assert.IsType<ClientMergeResult.Conflict>(await Merges.MergeAsync(choices, Staff.Admin));
        await AssertNothingMergedAsync();
    }

    [Fact]
    public async Task Open_patient_invites_on_both_cards_leave_the_survivor_one_and_cancel_the_merged_cards()
    {
        var kept = await AddAsync(MergeSeed.Invite(_keep.Id, _host));
        var moved = await AddAsync(MergeSeed.Invite(_other.Id, _host));

        var merged = Assert.IsType<ClientMergeResult.Merged>(await Merges.MergeAsync(await ChoicesAsync(_keep.Id, _other.Id), Staff.Admin));

        Assert.Contains("1 open portal invite(s) of the merged card cancelled", merged.Summary);
        await using var db = await _host.DbAsync();
        Assert.Equal(InviteStatus.Pending, (await db.PortalInvites.SingleAsync(i => i.Id == kept.Id)).Status);
        var cancelled = await db.PortalInvites.SingleAsync(i => i.Id == moved.Id);
        Assert.Equal((_keep.Id, InviteStatus.Cancelled), (cancelled.ClientId, cancelled.Status));
    }

    [Theory]
    [InlineData(CaregiverAccessStatus.Invited, CaregiverAccessStatus.Active, false, false)]
    [InlineData(CaregiverAccessStatus.Invited, CaregiverAccessStatus.Active, false, true)]
    [InlineData(CaregiverAccessStatus.Active, CaregiverAccessStatus.Invited, true, false)]
    [InlineData(CaregiverAccessStatus.Invited, CaregiverAccessStatus.Invited, true, true)]
    public async Task The_same_caregiver_on_both_cards_keeps_one_open_grant_the_one_that_works(
        CaregiverAccessStatus onSurvivor, CaregiverAccessStatus onOther, bool survivorsIsKept, bool otherGrantIsOlder)
    {
        // Row order matters to the database: the moving grant written first must not meet the one it replaces.
        CaregiverAccess a, b;
        if (otherGrantIsOlder)
            (b, a) = (await AddAsync(MergeSeed.Grant(_other.Id, "dad@example.com", onOther, _host)), await AddAsync(MergeSeed.Grant(_keep.Id, "Dad@example.com", onSurvivor, _host)));
        else
            (a, b) = (await AddAsync(MergeSeed.Grant(_keep.Id, "Dad@example.com", onSurvivor, _host)), await AddAsync(MergeSeed.Grant(_other.Id, "dad@example.com", onOther, _host)));
        var invite = await AddAsync(MergeSeed.Invite(_other.Id, _host, (survivorsIsKept ? b : a).Id));

        var merged = Assert.IsType<ClientMergeResult.Merged>(await Merges.MergeAsync(await ChoicesAsync(_keep.Id, _other.Id), Staff.Admin));

        Assert.Contains("1 duplicate caregiver grant(s) ended", merged.Summary);
        await using var db = await _host.DbAsync();
        var grants = await db.CaregiverAccesses.OrderBy(g => g.Id).ToListAsync();
        Assert.All(grants, g => Assert.Equal(_keep.Id, g.PatientClientId));
        var open = Assert.Single(grants, g => g.Status != CaregiverAccessStatus.Ended);
        Assert.Equal((survivorsIsKept ? a : b).Id, open.Id);
        Assert.Equal(InviteStatus.Cancelled, (await db.PortalInvites.SingleAsync(i => i.Id == invite.Id)).Status);
    }
}
