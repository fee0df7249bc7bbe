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

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (authenticationState.User.Identity?.IsAuthenticated != true)
            return true;
        await using var scope = scopeFactory.CreateAsyncScope();
        var check = scope.ServiceProvider.GetRequiredService<StaffSessionCheck>();
        return await check.CheckAsync(authenticationState.User, touch: false, cancellationToken) is null;
    }
}
