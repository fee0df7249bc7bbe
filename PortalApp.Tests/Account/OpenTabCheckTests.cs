using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Components.Account;
using PortalApp.Data;
using PortalApp.Features.Staff;
using PortalApp.Security;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Account;

/// <summary>What an open staff tab (a Blazor circuit) re-checks every 30 seconds, without any HTTP request.</summary>
[Trait("Providers", "Both")]
public sealed class OpenTabCheckTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private PortalUser _user = null!;
    private ClaimsPrincipal _tab = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _user = await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Admin);
        await StaffAccounts.CreateAsync(_host.Services, StaffRoles.Admin); // so this one is not the last admin
        var principal = await _host.Scoped<SignInManager<PortalUser>>().CreateUserPrincipalAsync((await _host.Scoped<UserManager<PortalUser>>().FindByIdAsync(_user.Id))!);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(UserSessions.Claim, await _host.Get<UserSessions>().StartAsync(_user.Id, SessionKind.Staff)));
        _tab = principal;
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private Task<bool> StandsAsync() =>
        ((IdentityRevalidatingAuthenticationStateProvider)_host.Scoped<AuthenticationStateProvider>()).StillStandsAsync(_tab, CancellationToken.None);

    [Fact]
    public void Open_tabs_check_at_least_every_60_seconds() =>
        Assert.InRange(IdentityRevalidatingAuthenticationStateProvider.Interval, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    [Fact]
    public async Task A_tab_stands_until_its_account_is_disabled() => await EndsAfterAsync(s => s.DisableAsync(_user.Id, Staff.Admin));

    [Fact]
    public async Task A_tab_stands_until_its_roles_change() => await EndsAfterAsync(s => s.ChangeRolesAsync(_user.Id, [StaffRoles.FrontDesk], Staff.Admin));

    [Fact]
    public async Task A_tab_ends_when_the_account_is_locked_even_without_a_new_stamp()
    {
        Assert.True(await StandsAsync());
        await using (var db = await _host.DbAsync())
            await db.Users.Where(u => u.Id == _user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddMinutes(15)));

        Assert.False(await StandsAsync());
    }

    [Fact]
    public async Task A_tab_ends_when_left_idle_past_the_clinics_limit_or_12_hours_after_sign_in()
    {
        _host.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.True(await StandsAsync()); // checking is not activity: it does not move "last seen"
        _host.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.False(await StandsAsync());
    }

    private async Task EndsAfterAsync(Func<StaffAdminService, Task<Outcome>> change)
    {
        Assert.True(await StandsAsync());

        Assert.IsType<Outcome.Done>(await change(_host.Scoped<StaffAdminService>()));

        Assert.False(await StandsAsync());
    }
}
