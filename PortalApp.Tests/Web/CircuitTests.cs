using System.Net;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>Circuits (Blazor's live connections) only for staff pages, and only from the app's own pages.</summary>
public sealed class CircuitTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    // What an interactive server component leaves in prerendered HTML for blazor.web.js to start a circuit from.
    private const string CircuitMarker = "\"type\":\"server\"";

    [Theory]
    [InlineData("/no-such-page", HttpStatusCode.NotFound, "There is nothing at this address.")]
    [InlineData("/not-found", HttpStatusCode.OK, "There is nothing at this address.")]
    [InlineData("/error", HttpStatusCode.OK, "Something went wrong")]
    public async Task The_missing_page_and_the_error_page_open_no_circuit(string path, HttpStatusCode status, string text)
    {
        var response = await StaffClient.Anonymous(app.Factory).GetAsync(path);

        var html = await PortalForms.TextAsync(response);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(text, html);
        Assert.DoesNotContain(CircuitMarker, html);
    }

    [Fact]
    public async Task A_staff_page_still_opens_one()
    {
        var staff = await StaffClient.SignedInAsync(app.Factory);

        Assert.Contains(CircuitMarker, await staff.GetStringAsync("/clients"));
    }

    [Theory]
    [InlineData("https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost.evil.example", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost", HttpStatusCode.OK)] // the test server's own address
    [InlineData("http://localhost:5080", HttpStatusCode.OK)] // the clinic's public address (appsettings.json), for a proxy that rewrites the host
    [InlineData(null, HttpStatusCode.OK)]
    public async Task Negotiating_a_circuit_is_refused_from_other_origins(string? origin, HttpStatusCode expected)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        if (origin is not null)
            request.Headers.Add("Origin", origin);

        var response = await app.Factory.CreateClient().SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task The_websocket_handshake_is_refused_from_another_origin_and_accepted_from_our_own()
    {
        var negotiate = await app.Factory.CreateClient().PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        var token = System.Text.Json.JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();
        var address = new Uri(app.Factory.Server.BaseAddress, $"_blazor?id={token}");

        var evil = app.Factory.Server.CreateWebSocketClient();
        evil.ConfigureRequest = request => request.Headers.Origin = "https://evil.example";
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => evil.ConnectAsync(address, TestContext.Current.CancellationToken));
        Assert.Contains("403", refused.Message);

        var own = app.Factory.Server.CreateWebSocketClient();
        own.ConfigureRequest = request => request.Headers.Origin = "http://localhost";
        using var socket = await own.ConnectAsync(address, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }
}
