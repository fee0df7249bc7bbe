using PortalApp.Security;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Invites;
using PortalApp.Features.Registration;
using PortalApp.Features.Templates;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Registration;

[Trait("Providers", "Both")]
public sealed class ExpiredLinkTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private Client _emma = null!;
    private string _token = "";

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync();
        _token = await _host.SendInviteAsync(_emma.Id);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task RequestAsync(string token) => _host.Scoped<ExpiredLinkService>().SendAsync(token);

    private async Task<List<PortalInvite>> InvitesAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.PortalInvites.OrderBy(i => i.Id).ToListAsync();
    }

    [Fact]
    public async Task A_genuine_expired_link_of_an_active_client_gets_one_fresh_invite_and_a_second_ask_at_once_sends_nothing()
    {
        _host.Time.Advance(TimeSpan.FromDays(8));

        await RequestAsync(_token);
        await RequestAsync(_token);

        var invites = await InvitesAsync();
        Assert.Equal([InviteStatus.Expired, InviteStatus.Pending], invites.Select(i => i.Status));
        Assert.Equal(ExpiredLinkService.PatientRequest.DisplayName, invites[1].SentByName);
        await using var db = await _host.DbAsync();
        Assert.Equal(2, await db.OutboxEmails.CountAsync(o => o.ToAddress == "emma.smith@example.com"));
        Assert.True(await db.AuditEvents.AnyAsync(a => a.StaffUserId == ExpiredLinkService.PatientRequest.UserId));
    }

    [Fact]
    public async Task An_expired_link_renews_at_most_once_per_15_minutes_and_five_times_a_day()
    {
        _host.Time.Advance(TimeSpan.FromDays(8));
        for (var i = 0; i < 7; i++)
        {
            await RequestAsync(_token);
            await RequestAsync(_token);
            _host.Time.Advance(TimeSpan.FromMinutes(16));
        }

        Assert.Equal(5, (await InvitesAsync()).Count(i => i.SentByUserId == ExpiredLinkService.PatientRequest.UserId));
        _host.Time.Advance(TimeSpan.FromDays(1));
        await RequestAsync(_token);
        Assert.Equal(6, (await InvitesAsync()).Count(i => i.SentByUserId == ExpiredLinkService.PatientRequest.UserId));
    }

    [Fact]
    public async Task A_link_that_is_still_valid_or_unknown_sends_nothing()
    {
        await RequestAsync(_token);
        await RequestAsync(SecretTokens.NewToken());
        await RequestAsync("short");

        Assert.Single(await InvitesAsync());
    }

    [Fact]
    public async Task An_expired_link_of_an_end_dated_client_sends_nothing()
    {
        _host.Time.Advance(TimeSpan.FromDays(8));
        await using (var db = await _host.DbAsync())
            await db.Clients.ExecuteUpdateAsync(s => s.SetProperty(c => c.EndDate, new DateOnly(2026, 3, 5)));

        await RequestAsync(_token);

        Assert.Single(await InvitesAsync());
    }

    [Fact]
    public async Task A_superseded_or_revoked_link_sends_nothing()
    {
        Assert.IsType<Outcome.Done>(await _host.Scoped<InviteService>().RevokeAsync(_emma.Id, Staff.Admin));
        _host.Time.Advance(TimeSpan.FromDays(8));

        await RequestAsync(_token);

        Assert.Equal([InviteStatus.Revoked], (await InvitesAsync()).Select(i => i.Status));
    }
}
