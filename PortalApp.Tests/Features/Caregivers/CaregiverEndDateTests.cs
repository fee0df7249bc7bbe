using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Features.Caregivers;
using PortalApp.Features.Clients;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Caregivers;

/// <summary>End-dating either client card closes open caregiver invites in the same save; removing the end date lets staff re-send.</summary>
[Trait("Providers", "Both")]
public sealed class CaregiverEndDateTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _child = null!;
    private Client _parent = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _child = await _host.AddClientAsync("Lily", "Rivera", new DateOnly(2016, 6, 2), email: null, phone: null);
        _parent = await _host.AddClientAsync("Maya", "Rivera", new DateOnly(1985, 9, 21), email: "maya.rivera@example.com");
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<long> InviteParentAsync()
    {
        var form = CaregiverInvites.Form(await CaregiverInvites.DefaultTemplateAsync(_host.Services), caregiverClientId: _parent.Id);
        return Assert.IsType<CaregiverSendResult.Sent>(await _host.Scoped<CaregiverInviteService>().SendAsync(_child.Id, form, Staff.FrontDesk)).AccessId;
    }

    private async Task SetEndDateAsync(int clientId, DateTime? endDate)
    {
        var clients = _host.Scoped<ClientService>();
        var model = (await clients.GetAsync(clientId))!.ToEditModel();
        model.EndDate = endDate;
        Assert.IsType<ClientSaveResult.Saved>(await clients.UpdateAsync(clientId, model, Staff.FrontDesk));
    }

    private async Task<CaregiverRow> RowAsync(long accessId) =>
        (await _host.Scoped<CaregiverAccessService>().GetStateAsync(_child.Id))!.Caregivers.Single(r => r.Id == accessId);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task End_dating_the_patient_or_the_caregiver_cancels_the_open_invite_and_audits_it(bool patient)
    {
        var accessId = await InviteParentAsync();

        await SetEndDateAsync(patient ? _child.Id : _parent.Id, ServiceTestHost.Start.UtcDateTime.Date);

        await using var db = await _host.DbAsync();
        var invite = await db.PortalInvites.SingleAsync(i => i.CaregiverAccessId == accessId);
        Assert.Equal(InviteStatus.Cancelled, invite.Status);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.InviteCancel);
        Assert.Equal(_child.Id, audit.ClientId);
        Assert.Equal(CaregiverRowStatus.Paused, (await RowAsync(accessId)).Status);
    }

    [Fact]
    public async Task After_the_end_date_is_removed_staff_can_re_send_the_cancelled_invite()
    {
        var accessId = await InviteParentAsync();
        await SetEndDateAsync(_parent.Id, ServiceTestHost.Start.UtcDateTime.Date);
        Assert.Equal(CaregiverMessages.CaregiverEnded("Maya Rivera"), Assert.IsType<Outcome.Refused>(await _host.Scoped<CaregiverInviteService>().ResendAsync(_child.Id, accessId, Staff.FrontDesk)).Reason);

        await SetEndDateAsync(_parent.Id, null);

        var row = await RowAsync(accessId);
        Assert.Equal((CaregiverRowStatus.InviteCancelled, true), (row.Status, row.CanResend));
        Assert.IsType<Outcome.Done>(await _host.Scoped<CaregiverInviteService>().ResendAsync(_child.Id, accessId, Staff.FrontDesk));
        Assert.Equal(CaregiverRowStatus.Invited, (await RowAsync(accessId)).Status);
    }

    [Fact]
    public async Task Two_staff_ending_the_same_access_at_once_end_it_once_and_the_other_is_told_why()
    {
        var accessId = await InviteParentAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => _host.Scoped<CaregiverAccessService>().EndAccessAsync(_child.Id, accessId, Staff.FrontDesk))));

        Assert.Single(answers, a => a is Outcome.Done);
        Assert.All(answers.OfType<Outcome.Refused>(), a => Assert.Contains(a.Reason, new[] { CaregiverMessages.AlreadyEnded, CaregiverMessages.Conflict }));
        Assert.Equal(answers.Length - 1, answers.OfType<Outcome.Refused>().Count());
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.CaregiverAccessEnd));
    }
}
