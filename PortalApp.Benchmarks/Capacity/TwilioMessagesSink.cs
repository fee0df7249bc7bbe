using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// Twilio's Messages API on 127.0.0.1 (real Kestrel), as little of it as a send needs: POST
/// /2010-04-01/Accounts/{sid}/Messages.json with Basic auth answers 201 and the message's JSON as Twilio documents it
/// (twilio.com/docs/messaging/api/message-resource#create-a-message-resource), 401 without the credentials, 400 without
/// a To or a Body. It counts the texts each number was sent and can keep the requests (for a baseline that replays
/// them). Not the tests' LoopbackTwilio (magic numbers, scripted failures, signed webhooks): this project cannot
/// reference the test project, and a benchmark needs only the happy path.
/// </summary>
public sealed class TwilioMessagesSink : IAsyncDisposable
{
    public const string AccountSid = "ACbench0000000000000000000000000aa";
    public const string AuthToken = "bench-auth-token-0123456789abcdef";

    /// <summary>Twilio's magic test From number.</summary>
    public const string FromNumber = "+15005550006";

    private static readonly string Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));

    private readonly WebApplication _server;
    private ConcurrentDictionary<string, int> _delivered = new(StringComparer.Ordinal);
    private ConcurrentQueue<Dictionary<string, string>>? _kept;

    private TwilioMessagesSink(WebApplication server) => _server = server;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Where a client posts a text (the app: Messaging:Twilio:ApiBaseUrl + this path).</summary>
    public string MessagesUrl => $"{BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json";

    /// <summary>The Authorization header a client sends.</summary>
    public static string BasicAuthorization => Authorization;

    /// <summary>The app's settings for this server.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Messaging:Transport"] = "Twilio",
        ["Messaging:Twilio:AccountSid"] = AccountSid,
        ["Messaging:Twilio:AuthToken"] = AuthToken,
        ["Messaging:Twilio:FromNumber"] = FromNumber,
        ["Messaging:Twilio:ApiBaseUrl"] = BaseUrl,
    };

    public static async Task<TwilioMessagesSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var server = builder.Build();
        var sink = new TwilioMessagesSink(server);
        server.MapPost("/2010-04-01/Accounts/{account}/Messages.json", (HttpContext http, string account) => sink.AnswerAsync(http, account));
        await server.StartAsync();
        sink.BaseUrl = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return sink;
    }

    /// <summary>How many texts each number has been sent since the last call; the count starts again.</summary>
    public IReadOnlyDictionary<string, int> TakeDelivered() => Interlocked.Exchange(ref _delivered, new(StringComparer.Ordinal));

    /// <summary>From now on, keep every accepted request's form until <see cref="TakeKept"/>.</summary>
    public void Keep() => _kept = new ConcurrentQueue<Dictionary<string, string>>();

    public IReadOnlyList<Dictionary<string, string>> TakeKept() => [.. Interlocked.Exchange(ref _kept, null) ?? []];

    private async Task AnswerAsync(HttpContext http, string account)
    {
        var form = (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        if (account != AccountSid || http.Request.Headers.Authorization.ToString() != Authorization)
        {
            await WriteJsonAsync(http.Response, 401, Error(20003, "Authenticate", 401));
            return;
        }
        var to = form.GetValueOrDefault("To") ?? "";
        var text = form.GetValueOrDefault("Body") ?? "";
        if (to.Length == 0 || text.Length == 0)
        {
            await WriteJsonAsync(http.Response, 400, to.Length == 0 ? Error(21604, "A 'To' phone number is required.", 400) : Error(21602, "Message body is required.", 400));
            return;
        }
        _delivered.AddOrUpdate(to, 1, (_, n) => n + 1);
        _kept?.Enqueue(form);
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        await WriteJsonAsync(http.Response, 201, new Dictionary<string, object?>
        {
            ["sid"] = sid, ["account_sid"] = AccountSid, ["to"] = to, ["from"] = form.GetValueOrDefault("From"), ["body"] = text,
            ["status"] = "queued", ["num_segments"] = "1", ["direction"] = "outbound-api", ["api_version"] = "2010-04-01",
            ["date_created"] = now, ["date_updated"] = now, ["date_sent"] = null, ["price"] = null, ["price_unit"] = "USD",
            ["error_code"] = null, ["error_message"] = null, ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{sid}.json",
        });
    }

    private static Dictionary<string, object?> Error(int code, string message, int status) => new()
    {
        ["code"] = code, ["message"] = message, ["more_info"] = $"https://www.twilio.com/docs/errors/{code}", ["status"] = status,
    };

    private static async Task WriteJsonAsync(HttpResponse response, int status, Dictionary<string, object?> body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(JsonSerializer.Serialize(body));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
    }
}
