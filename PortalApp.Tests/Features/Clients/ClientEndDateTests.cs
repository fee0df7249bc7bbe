using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Clients;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Clients;

/// <summary>The client card header's End date action.</summary>
[Trait("Providers", "Both")]
public sealed class ClientEndDateTests : IAsyncLifetime
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(ServiceTestHost.Start.UtcDateTime);
    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private ClientService Clients => _host.Scoped<ClientService>();

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<PortalInvite> AddPendingInviteAsync()
    {
        await using var db = await _host.DbAsync();
        var invite = db.PortalInvites.Add(MergeSeed.Invite(_emma.Id, _host)).Entity;
        await db.SaveChangesAsync();
        return invite;
    }

    [Fact]
    public async Task Ending_today_cancels_the_open_invite_and_audits_the_end_date_without_the_date()
    {
        var invite = await AddPendingInviteAsync();

        var saved = Assert.IsType<ClientSaveResult.Saved>(await Clients.SetEndDateAsync(_emma.Id, Today, _emma.Version, Staff.FrontDesk));

        Assert.Equal(Today, saved.Client.EndDate);
        await using var db = await _host.DbAsync();
        Assert.Equal(InviteStatus.Cancelled, (await db.PortalInvites.SingleAsync(i => i.Id == invite.Id)).Status);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.ClientEndDate);
        Assert.Equal((_emma.Id, "End date set (today or earlier)"), (audit.ClientId, audit.Details));
        Assert.DoesNotContain("2026", audit.Details);
    }

    [Fact]
    public async Task A_future_end_date_leaves_invites_open_until_that_day()
    {
        var invite = await AddPendingInviteAsync();

        Assert.IsType<ClientSaveResult.Saved>(await Clients.SetEndDateAsync(_emma.Id, Today.AddDays(10), _emma.Version, Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        Assert.Equal(InviteStatus.Pending, (await db.PortalInvites.SingleAsync(i => i.Id == invite.Id)).Status);
    }

    [Fact]
    public async Task Removing_the_end_date_is_saved_and_audited()
    {
        var ended = Assert.IsType<ClientSaveResult.Saved>(await Clients.SetEndDateAsync(_emma.Id, Today, _emma.Version, Staff.FrontDesk));

        var saved = Assert.IsType<ClientSaveResult.Saved>(await Clients.SetEndDateAsync(_emma.Id, null, ended.Client.Version, Staff.FrontDesk));

        Assert.Null(saved.Client.EndDate);
        await using var db = await _host.DbAsync();
        Assert.Equal(["End date set (today or earlier)", "End date removed"],
            await db.AuditEvents.Where(a => a.Action == AuditActions.ClientEndDate).OrderBy(a => a.Id).Select(a => a.Details).ToListAsync());
    }

    [Fact]
    public async Task An_end_date_before_the_date_of_birth_is_refused_with_its_message()
    {
        var result = Assert.IsType<ClientSaveResult.Invalid>(await Clients.SetEndDateAsync(_emma.Id, new DateOnly(1980, 1, 1), _emma.Version, Staff.FrontDesk));

        Assert.Equal("The end date cannot be before the date of birth.", result.Errors[nameof(ClientEditModel.EndDate)]);
    }

    [Fact]
    public async Task An_end_date_against_an_older_version_is_a_conflict()
    {
        var model = (await Clients.GetAsync(_emma.Id))!.ToEditModel();
        model.PreferredName = "Em";
        Assert.IsType<ClientSaveResult.Saved>(await Clients.UpdateAsync(_emma.Id, model, Staff.Admin));

        Assert.IsType<ClientSaveResult.Conflict>(await Clients.SetEndDateAsync(_emma.Id, Today, _emma.Version, Staff.FrontDesk));
    }

    [Fact]
    public async Task The_end_date_set_from_the_details_form_is_audited_the_same_way()
    {
        var model = (await Clients.GetAsync(_emma.Id))!.ToEditModel();
        model.EndDate = Today.AddDays(3).ToDateTime(TimeOnly.MinValue);

        Assert.IsType<ClientSaveResult.Saved>(await Clients.UpdateAsync(_emma.Id, model, Staff.FrontDesk));

        await using var db = await _host.DbAsync();
        Assert.Equal("End date set (in the future)", (await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.ClientEndDate)).Details);
    }
}
