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
using PortalApp.Features.Channels;

namespace PortalApp.Tests.TestSupport;

/// <summary>One request the server received, as Twilio would have seen it.</summary>
/// <param name="Resource">"Messages" or "Calls".</param>
/// <param name="StatusCode">What it answered, scripted answers included.</param>
/// <param name="Sid">The SID it created (201), else null.</param>
public sealed record TwilioRequest(string Resource, IReadOnlyDictionary<string, string> Form, bool Authenticated, int StatusCode, string? Sid, DateTimeOffset ReceivedAt);

/// <summary>
/// A real HTTP server on 127.0.0.1 that plays Twilio's REST API for Messages.json and Calls.json as Twilio documents
/// it (twilio.com/docs/iam/test-credentials): Basic auth with the test account SID and token, 201 with Twilio's JSON,
/// the magic From (+15005550006) and To numbers for the documented errors, 1,600 characters at most. It can be told
/// to fail the next requests (429 with Retry-After, 500, 503, odd answers), records every request, and posts signed
/// webhooks to the app under test: delivery reports, texts from patients, a call answered, a key pressed.
/// </summary>
public sealed class LoopbackTwilio : IAsyncDisposable
{
    public const string AccountSid = "ACtest00000000000000000000000000aa";
    public const string AuthToken = "test-auth-token-5f1e2d3c4b5a6978";

    /// <summary>Twilio's magic From number that passes every check.</summary>
    public const string FromNumber = "+15005550006";

    /// <summary>Twilio's magic To numbers (texts: 21211, 21612, 21408, 21610, 21614; calls: 21217, 21214, 21215, 21216).</summary>
    public const string InvalidNumber = "+15005550001", UnroutableNumber = "+15005550002", NoPermissionNumber = "+15005550003",
        BlockedNumber = "+15005550004", NotMobileNumber = "+15005550009";

    private readonly WebApplication _server;
    private readonly Lock _lock = new();
    private readonly List<TwilioRequest> _requests = [];
    private readonly List<(Func<IReadOnlyList<TwilioRequest>, bool> Enough, TaskCompletionSource Done)> _waiters = [];
    private readonly Queue<(int Status, Func<HttpResponse, Task> Answer)> _scripted = new();
    private HttpClient? _app;
    private string _publicBaseUrl = "";

    private LoopbackTwilio(WebApplication server) => _server = server;

    /// <summary>Where the app's Messaging:Twilio:ApiBaseUrl points.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Runs for each request once it is recorded and before it is answered (to hold it, or to change things meanwhile).</summary>
    public Func<TwilioRequest, Task>? BeforeAnswer { get; set; }

    public IReadOnlyList<TwilioRequest> Requests
    {
        get { lock (_lock) return [.. _requests]; }
    }

    /// <summary>The app's settings for this server (and short retry waits, so tests stay fast).</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Messaging:Transport"] = "Twilio",
        ["Messaging:Twilio:AccountSid"] = AccountSid,
        ["Messaging:Twilio:AuthToken"] = AuthToken,
        ["Messaging:Twilio:FromNumber"] = FromNumber,
        ["Messaging:Twilio:ApiBaseUrl"] = BaseUrl,
        ["Messaging:Twilio:RetryDelayMilliseconds"] = "10",
    };

    public static async Task<LoopbackTwilio> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var server = builder.Build();
        var twilio = new LoopbackTwilio(server);
        server.MapPost("/2010-04-01/Accounts/{account}/Messages.json", (HttpContext http, string account) => twilio.AnswerAsync(http, account, "Messages"));
        server.MapPost("/2010-04-01/Accounts/{account}/Calls.json", (HttpContext http, string account) => twilio.AnswerAsync(http, account, "Calls"));
        await server.StartAsync();
        twilio.BaseUrl = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return twilio;
    }

    /// <summary>The next <paramref name="count"/> requests get this error instead of being handled (429 as Twilio words it, with Retry-After when given).</summary>
    public void FailNext(int count, HttpStatusCode status, int? retryAfterSeconds = null)
    {
        var code = status == HttpStatusCode.TooManyRequests ? 20429 : 20500;
        for (var i = 0; i < count; i++)
        {
            Script((int)status, async response =>
            {
                if (retryAfterSeconds is { } seconds)
                    response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await WriteJsonAsync(response, (int)status, Error(code, status == HttpStatusCode.TooManyRequests ? "Too Many Requests" : "Service unavailable", (int)status));
            });
        }
    }

    /// <summary>The next request gets exactly this answer.</summary>
    public void AnswerNext(HttpStatusCode status, string body, string contentType = "application/json") => Script((int)status, async response =>
    {
        response.StatusCode = (int)status;
        response.ContentType = contentType;
        await response.WriteAsync(body);
    });

    /// <summary>The next request gets an answer that never ends, until the client gives up on it.</summary>
    public void AnswerNextEndlessly(HttpStatusCode status) => Script((int)status, async response =>
    {
        response.StatusCode = (int)status;
        response.ContentType = "application/json";
        var chunk = Encoding.UTF8.GetBytes("{\"message\":\"" + new string('x', 8192));
        await response.Body.WriteAsync(chunk, response.HttpContext.RequestAborted);
        chunk = Encoding.UTF8.GetBytes(new string('x', 8192));
        while (!response.HttpContext.RequestAborted.IsCancellationRequested)
            await response.Body.WriteAsync(chunk, response.HttpContext.RequestAborted);
    });

    public void ClearScript()
    {
        lock (_lock)
            _scripted.Clear();
    }

    public Task<IReadOnlyList<TwilioRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null) =>
        WaitUntilAsync(requests => requests.Count >= count, timeout);

    /// <summary>The first request that <paramref name="matches"/>, once it has come (others, e.g. to other numbers, may come first).</summary>
    public async Task<TwilioRequest> WaitForRequestAsync(Func<TwilioRequest, bool> matches, TimeSpan? timeout = null) =>
        (await WaitUntilAsync(requests => requests.Any(matches), timeout)).First(matches);

    private async Task<IReadOnlyList<TwilioRequest>> WaitUntilAsync(Func<IReadOnlyList<TwilioRequest>, bool> enough, TimeSpan? timeout)
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            if (enough(_requests))
                return [.. _requests];
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((enough, done));
        }
        await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
        return Requests;
    }

    private void Script(int status, Func<HttpResponse, Task> answer)
    {
        lock (_lock)
            _scripted.Enqueue((status, answer));
    }

    private async Task AnswerAsync(HttpContext http, string account, string resource)
    {
        var form = (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var authenticated = account == AccountSid && http.Request.Headers.Authorization.ToString() ==
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        (int Status, Func<HttpResponse, Task> Answer) scripted;
        bool isScripted;
        lock (_lock)
            isScripted = _scripted.TryDequeue(out scripted);
        var (status, body) = isScripted ? (scripted.Status, null) : Handle(resource, form, authenticated);
        var sid = !isScripted && status == 201 ? (string)body!["sid"]! : null;
        var recorded = new TwilioRequest(resource, form, authenticated, status, sid, DateTimeOffset.UtcNow);
        Record(recorded);
        if (BeforeAnswer is { } hook)
            await hook(recorded);
        if (isScripted)
            await scripted.Answer(http.Response);
        else
            await WriteJsonAsync(http.Response, status, body!);
    }

    private static (int Status, Dictionary<string, object?> Body) Handle(string resource, Dictionary<string, string> form, bool authenticated)
    {
        if (!authenticated)
            return (401, Error(20003, "Authenticate", 401));
        var calls = resource == "Calls";
        var to = form.GetValueOrDefault("To") ?? "";
        var from = form.GetValueOrDefault("From") ?? "";
        if (to.Length == 0)
            return (400, Error(calls ? 21201 : 21604, "A 'To' phone number is required.", 400));
        if (from == InvalidNumber)
            return (400, Error(21212, $"The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID.", 400));
        if (from != FromNumber)
            return calls
                ? (400, Error(21210, $"The source phone number provided, {from}, is not yet verified for your account.", 400))
                : (400, Error(21606, $"The 'From' phone number provided ({from}) is not a valid message-capable Twilio phone number for this destination.", 400));
        var magic = (calls, to) switch
        {
            (false, InvalidNumber) => (21211, $"The 'To' number {to} is not a valid phone number."),
            (false, UnroutableNumber) => (21612, $"The 'To' phone number: {to}, is not currently reachable using the 'From' phone number: {from} via SMS."),
            (false, NoPermissionNumber) => (21408, $"Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}."),
            (false, BlockedNumber) => (21610, "Attempt to send to unsubscribed recipient"),
            (false, NotMobileNumber) => (21614, $"'To' number {to} is not a valid mobile number"),
            (true, InvalidNumber) => (21217, $"Phone number {to} is not a valid phone number."),
            (true, UnroutableNumber) => (21214, $"'To' phone number {to} cannot be reached."),
            (true, NoPermissionNumber) => (21215, $"Account not authorized to call {to}."),
            (true, BlockedNumber) => (21216, $"Call blocked by Twilio blocklist: {to}."),
            _ => (0, ""),
        };
        if (magic.Item1 != 0)
            return (400, Error(magic.Item1, magic.Item2, 400));
        if (!calls && string.IsNullOrEmpty(form.GetValueOrDefault("Body")))
            return (400, Error(21602, "Message body is required.", 400));
        if (!calls && form["Body"].Length > 1600)
            return (400, Error(21617, "The concatenated message body exceeds the 1600 character limit.", 400));
        if (calls && string.IsNullOrEmpty(form.GetValueOrDefault("Url")))
            return (400, Error(21205, "Url parameter is required.", 400));

        var sid = (calls ? "CA" : "SM") + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        var body = new Dictionary<string, object?>
        {
            ["sid"] = sid, ["account_sid"] = AccountSid, ["to"] = to, ["from"] = from, ["status"] = "queued",
            ["date_created"] = now, ["date_updated"] = now, ["direction"] = "outbound-api", ["api_version"] = "2010-04-01",
            ["price"] = null, ["price_unit"] = "USD", ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/{resource}/{sid}.json",
        };
        if (calls)
        {
            body["start_time"] = null;
            body["duration"] = null;
        }
        else
        {
            body["body"] = form["Body"];
            body["num_segments"] = "1";
            body["error_code"] = null;
            body["error_message"] = null;
        }
        return (201, body);
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

    private void Record(TwilioRequest request)
    {
        lock (_lock)
        {
            _requests.Add(request);
            foreach (var waiter in _waiters.Where(w => w.Enough(_requests)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    // ---- Webhooks to the app ----

    /// <summary>Where webhooks go: a client that reaches the app, and the public address the app gives Twilio (what Twilio signs).</summary>
    public LoopbackTwilio CallbacksTo(HttpClient app, string publicBaseUrl)
    {
        _app = app;
        _publicBaseUrl = publicBaseUrl.TrimEnd('/');
        return this;
    }

    /// <summary>A delivery report for a text or call this server created, to the StatusCallback the app gave with it.</summary>
    public Task<HttpResponseMessage> SendStatusCallbackAsync(string sid, string status, string? errorCode = null)
    {
        var request = Requests.Single(r => r.Sid == sid);
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = AccountSid, ["From"] = request.Form["From"], ["To"] = request.Form["To"], ["ApiVersion"] = "2010-04-01",
        };
        if (request.Resource == "Calls")
        {
            form["CallSid"] = sid;
            form["CallStatus"] = status;
            form["Direction"] = "outbound-api";
        }
        else
        {
            form["MessageSid"] = form["SmsSid"] = sid;
            form["MessageStatus"] = form["SmsStatus"] = status;
        }
        if (errorCode is not null)
            form["ErrorCode"] = errorCode;
        return PostSignedAsync(request.Form["StatusCallback"], form);
    }

    /// <summary>A text from a patient's phone to the clinic's number.</summary>
    public Task<HttpResponseMessage> SendInboundSmsAsync(string from, string body, string? sid = null)
    {
        sid ??= "SM" + Guid.NewGuid().ToString("N");
        return PostSignedAsync(_publicBaseUrl + WebhookPaths.InboundSms, new Dictionary<string, string>
        {
            ["MessageSid"] = sid, ["SmsSid"] = sid, ["AccountSid"] = AccountSid,
            ["From"] = from, ["To"] = FromNumber, ["Body"] = body, ["NumMedia"] = "0", ["SmsStatus"] = "received", ["ApiVersion"] = "2010-04-01",
        });
    }

    /// <summary>The call for this message is answered: Twilio fetches what to say from the Url the app gave.</summary>
    public Task<HttpResponseMessage> AnswerCallAsync(long messageId)
    {
        var call = CallFor(messageId);
        return PostSignedAsync(call.Form["Url"], CallForm(call.Sid!, call, "in-progress"));
    }

    /// <summary>The patient presses a key during the call for this message (the Gather's action).</summary>
    public Task<HttpResponseMessage> PressKeyAsync(long messageId, string digit, string? callSid = null)
    {
        var call = CallFor(messageId);
        var form = CallForm(callSid ?? call.Sid!, call, "in-progress");
        form["Digits"] = digit;
        form["FinishedOnKey"] = "";
        return PostSignedAsync(_publicBaseUrl + WebhookPaths.Gather(messageId), form);
    }

    /// <summary>Posts to the app as Twilio would, signed for <paramref name="publicUrl"/>; <paramref name="signature"/> overrides (a forgery; "" sends none).</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(string publicUrl, IReadOnlyDictionary<string, string> form, string? signature = null)
    {
        var app = _app ?? throw new InvalidOperationException("Call CallbacksTo first: the server needs to know where the app is.");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(publicUrl).PathAndQuery) { Content = new FormUrlEncodedContent(form) };
        if (signature != "")
            request.Headers.Add(TwilioSignature.Header, signature ?? TwilioSignature.Sign(AuthToken, publicUrl, form));
        return await app.SendAsync(request);
    }

    private TwilioRequest CallFor(long messageId) =>
        Requests.Last(r => r.Resource == "Calls" && r.Sid is not null && r.Form["Url"].EndsWith(WebhookPaths.Voice(messageId), StringComparison.Ordinal));

    private static Dictionary<string, string> CallForm(string sid, TwilioRequest call, string status) => new()
    {
        ["CallSid"] = sid, ["AccountSid"] = AccountSid, ["From"] = call.Form["From"], ["To"] = call.Form["To"], ["CallStatus"] = status,
        ["Direction"] = "outbound-api", ["ApiVersion"] = "2010-04-01",
    };

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        await _server.DisposeAsync();
    }
}
