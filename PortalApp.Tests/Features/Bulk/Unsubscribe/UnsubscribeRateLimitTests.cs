using System.Net;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Bulk.Unsubscribe;

/// <summary>The framework's rate limiter on unsubscribe posts, per sending address (reading the page stays free).</summary>
public sealed class UnsubscribeRateLimitTests : IAsyncLifetime
{
    private readonly PortalAppFactory _factory = new PortalAppFactory().With("RateLimits:UnsubscribePerMinute", "3");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task A_flood_of_unsubscribe_posts_from_one_address_gets_429_and_nothing_past_the_limit_is_saved()
    {
        var links = new List<(int ClientId, string Path)>();
        for (var i = 0; i < 5; i++)
        {
            await using var db = await _factory.DbAsync();
            var client = new Client { FirstName = "Flood", LastName = $"Test{i}", DateOfBirth = new DateOnly(1980, 1, 1), CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow };
            db.Clients.Add(client);
            await db.SaveChangesAsync();
            links.Add((client.Id, ClinicView.UnsubscribeLinkPath + (await UnsubscribeTestData.SentToAsync(_factory.DbAsync, client.Id, DateTime.UtcNow.AddDays(-1))).Token));
        }
        var emailApp = _factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        foreach (var (_, path) in links)
            Assert.Equal(HttpStatusCode.OK, (await emailApp.GetAsync(path)).StatusCode); // reading is free: only posts count

        var statuses = new List<HttpStatusCode>();
        foreach (var (_, path) in links)
            statuses.Add((await emailApp.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }))).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var optedOut = new List<bool>();
        foreach (var (clientId, _) in links)
            optedOut.Add((await UnsubscribeTestData.ClientAsync(_factory.DbAsync, clientId)).PromotionalOptOutAtUtc is not null);
        Assert.Equal([true, true, true, false, false], optedOut);
    }
}
