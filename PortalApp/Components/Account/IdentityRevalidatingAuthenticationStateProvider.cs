using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace PortalApp.Components.Account;

/// <summary>
/// An open staff tab re-checks its session every 30 seconds (StaffSessionCheck): signed out in another tab, idle, past
/// 12 hours, account disabled, locked or changed. A failed check signs the tab out, which sends it to the sign-in page.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        StillStandsAsync(authenticationState.User, cancellationToken);

    internal async Task<bool> StillStandsAsync(System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.Identity?.IsAuthenticated != true)
            return true;
        await using var scope = scopeFactory.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StaffSessionCheck>().CheckAsync(user, touch: false, cancellationToken) is null;
    }
}
