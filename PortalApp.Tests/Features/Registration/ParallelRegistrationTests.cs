using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Registration;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Registration;

/// <summary>
/// One link submitted many times at once (a double tap, a retrying phone): SQLite queues the writers on its write lock,
/// PostgreSQL on the invite's row lock. Either way one account is made and the rest find the link used.
/// </summary>
[Trait("Providers", "Both")]
public sealed class ParallelRegistrationTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Ten_parallel_submits_of_one_link_make_one_account_and_nine_see_the_used_link()
    {
        var nora = await _host.AddClientAsync("Nora", "Quinn", new DateOnly(1979, 5, 14), "nora.quinn@example.com");
        var token = await _host.SendInviteAsync(nora.Id);
        using var barrier = new Barrier(10);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            var registration = _host.Scoped<RegistrationService>();
            barrier.SignalAndWait(TestContext.Current.CancellationToken);
            return await registration.RegisterAsync(token, new RegistrationForm
            {
                DateOfBirth = "1979-05-14", Password = Password, ConfirmPassword = Password, AcceptTerms = true,
            });
        })));

        Assert.Single(results.OfType<RegistrationResult.Registered>());
        Assert.Equal(9, results.Count(r => r is RegistrationResult.Unusable));
        await using var db = await _host.DbAsync();
        Assert.Equal(1, await db.Users.CountAsync(u => u.ClientId == nora.Id));
        Assert.Equal(InviteStatus.Registered, (await db.PortalInvites.SingleAsync(i => i.ClientId == nora.Id)).Status);
    }
}
