using System.Net;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Portal;

public sealed class PortalRateLimitTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new PortalAppFactory().With("RateLimits:PortalFormsPerMinute", "3");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task A_flood_of_sign_in_attempts_from_one_address_gets_429_with_a_clear_page()
    {
        var browser = StaffClient.Anonymous(_factory);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "a@example.com", ["Input.Password"] = "x" });
            statuses.Add((await browser.PostAsync("/portal/sign-in", form)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses.Skip(3));
        var blocked = await browser.PostAsync("/portal/sign-in", new FormUrlEncodedContent([]));
        Assert.Matches(@"For your safety, this form is paused\. Please try again in \d+ seconds\.", await blocked.Content.ReadAsStringAsync());
        Assert.InRange(blocked.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/portal/sign-in")).StatusCode);
    }
}
