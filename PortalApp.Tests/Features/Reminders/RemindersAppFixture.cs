using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortalApp.Features.Clinic;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Reminders;

/// <summary>
/// The whole app for a class of patient-answer tests: the demo clinic (Maple Grove Family Health, (416) 555-0100), a
/// clock the tests move (Wed 4 Mar 2026 10:00 in Toronto to begin with) and a Twilio auth token to sign webhooks with.
/// Tests of one class run one at a time: each books what it needs from "now", so moving the clock disturbs no other.
/// </summary>
public sealed class RemindersAppFixture : IAsyncLifetime
{
    public const string AuthToken = "test-auth-token-2b7e151628aed2a6";

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 4, 15, 0, 0, TimeSpan.Zero));
    public PortalAppFactory Factory { get; }

    public RemindersAppFixture() => Factory = new PortalAppFactory().WithClock(Clock).With("Messaging:Twilio:AuthToken", AuthToken);

    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>09:00 in Toronto (EST) <paramref name="days"/> days from now.</summary>
    public DateTime NineOClock(int days) => Now.Date.AddDays(days).AddHours(14);

    public async Task<string> PublicBaseUrlAsync() => (await Factory.Services.GetRequiredService<ClinicSettingsService>().GetAsync()).PublicBaseUrl;

    public ValueTask InitializeAsync()
    {
        Factory.CreateClient().Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
